// Lays out Graphviz DOT sources with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz, pinned in
// package.json), run by the project's pinned Node.js: no system package, nothing fetched.
//
// stdin: {"format": "svg" (or "json", Graphviz's own coordinates and text widths), "sources": [<DOT>, ...]}
// stdout: {"version": "<Graphviz version>", "outputs": [<output>, ...]}, one output per source, in order.
import { Graphviz } from "@hpcc-js/wasm-graphviz";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const graphviz = await Graphviz.load();
const outputs = request.sources.map((source) => graphviz.dot(source, request.format));
process.stdout.write(JSON.stringify({ version: graphviz.version(), outputs }));
