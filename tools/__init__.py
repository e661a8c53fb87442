"""Project tools that write files: the generated tables of docs/."""
