"""What a command of `python app.py` is: one convention for every command outside synthesis.

A `Command` names itself, says in one line what it does, lists the options it takes and carries a function
`run(settings, options) -> int`. app.py holds the registry, reads the configuration once (`Settings`: the effective
context and the `AppConfig` validated from it) and hands both to the command it dispatches to. The same exit codes
mean the same thing for every command (docs/platform/commands.md repeats them):

    0  OK          the command ran and found nothing wrong (or printed what was asked)
    1  FINDINGS    drift, a FAIL row, or something it could not read (a call AWS refused or that did not arrive):
                   not known to be in order
    2  USAGE       an unknown command or option, a bad configuration or a missing input: nothing was checked
    3  CANNOT_RUN  no AWS credentials, or ones that cannot be used (a session that cannot start): nothing was checked
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from core.config import AppConfig

OK, FINDINGS, USAGE, CANNOT_RUN = 0, 1, 2, 3
HELP = ("-h", "--help")


@dataclass(frozen=True)
class Settings:
    """The configuration every command reads: the effective context (`cdk.json`'s, with what is given over it), the
    names of its sources in the order they apply, and the configuration validated from it."""

    config: AppConfig
    context: Mapping[str, object]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Option:
    """One option of a command: a flag, or, with `value` (the placeholder, e.g. DIR), one that takes a value."""

    name: str
    help: str
    value: str | None = None
    default: str | None = None

    @property
    def usage(self) -> str:
        return f"{self.name} {self.value}" if self.value else self.name


@dataclass(frozen=True)
class Options:
    """The options given: the flags present, and every valued option's value (its default when not given)."""

    flags: frozenset[str] = frozenset()
    values: Mapping[str, str] = field(default_factory=dict)

    def __contains__(self, flag: object) -> bool:
        return flag in self.flags

    def value(self, name: str) -> str:
        return self.values[name]


Runner = Callable[[Settings, Options], int]
# Every command takes configuration keys as the CDK CLI does; app.py reads them before the command's own options.
CONTEXT_OPTION = Option(
    "-c", "a configuration key over cdk.json (repeatable; -c env=NAME reads config/NAME.json)", value="KEY=VALUE"
)


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Runner
    options: tuple[Option, ...] = ()

    def parse(self, args: Sequence[str]) -> Options | str:
        """The options in `args` (`--name value` or `--name=value`), or the usage error as one line.

        `-h`/`--help` anywhere is the flag `--help`: the caller prints `usage()` instead of running."""
        known = {option.name: option for option in self.options}
        flags: set[str] = set()
        values = {o.name: o.default for o in self.options if o.value and o.default is not None}
        remaining = list(args)
        while remaining:
            arg = remaining.pop(0)
            name, given = arg.split("=", 1) if arg.startswith("--") and "=" in arg else (arg, None)
            option = known.get(name)
            if arg in HELP:
                flags.add("--help")
            elif option is None:
                allowed = " ".join(o.usage for o in (*self.options, CONTEXT_OPTION))
                return f"unknown option {arg!r}; allowed: {allowed}"
            elif option.value is None and given is None:
                flags.add(name)
            elif option.value is None:
                return f"option {name!r} takes no value"
            elif given is None and (not remaining or remaining[0].startswith("-")):
                return f"option {name!r} takes a value: {option.usage}"
            else:
                values[name] = given if given is not None else remaining.pop(0)
        return Options(frozenset(flags), {name: value for name, value in values.items() if value is not None})

    def usage(self, program: str) -> str:
        """The command's help: its line, its options with their defaults, and -c."""
        options = (*self.options, CONTEXT_OPTION)
        line = " ".join(f"[{option.usage}]" for option in options)
        rows = [
            (option.usage, option.help + (f" (default: {option.default})" if option.default else ""))
            for option in options
        ]
        return f"Usage: {program} {self.name} {line}".rstrip() + f"\n\n{self.help}\n" + table(rows)


def table(rows: Iterable[tuple[str, str]]) -> str:
    """Two columns, the second aligned, each row indented: the help's listing of commands or options."""
    listed = list(rows)
    width = max((len(left) for left, _ in listed), default=0)
    return "".join(f"\n  {left.ljust(width)}  {right}" for left, right in listed) + ("\n" if listed else "")


def registry(*commands: Command) -> Mapping[str, Command]:
    """The commands by name, in the order given (the help lists them so); each name once."""
    by_name = {command.name: command for command in commands}
    assert len(by_name) == len(commands), "each command name once"
    return by_name
