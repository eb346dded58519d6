#!/usr/bin/env python3
"""Fails when modules of one crate import each other in a cycle (`use crate::…`, `use super::…`,
`crate::a::b` paths). One module per file (`foo.rs` or `foo/mod.rs`); inline `mod tests` are ignored."""
import os, re, sys

CRATES = ["src-tauri/client/src", "src-tauri/app/src", "src-tauri/sim/src", "src-tauri/cli/src", "src-tauri/shell"]

def module_of(root, path):
    rel = os.path.relpath(path, root)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return tuple(rel)

def edges(root):
    mods = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            if f.endswith(".rs") and f != "build.rs":
                p = os.path.join(dirpath, f)
                mods[module_of(root, p)] = p
    graph = {m: set() for m in mods}
    for m, p in mods.items():
        text = open(p, encoding="utf-8").read()
        text = re.split(r"#\[cfg\(test\)\]\s*mod \w+ \{", text)[0]  # tests may reach anywhere
        for path in re.findall(r"\b(crate|super)((?:::\w+)+)", text):
            head, rest = path
            parts = [x for x in rest.split("::") if x]
            base = list(m) if head == "super" else []
            if head == "super":
                base = base[:-1] if not p.endswith(("mod.rs", "lib.rs", "main.rs")) else base[:-1]
            target = tuple(base + parts)
            # the longest known module prefix of the path
            while target and target not in mods:
                target = target[:-1]
            # a module using its own children, or its parent's items, is no edge between siblings
            if target and target != m and not (target[: len(m)] == m) and not (m[: len(target)] == target):
                graph[m].add(target)
    return graph

def cycles(graph):
    found, state, stack = [], {}, []
    def visit(n):
        state[n] = 1
        stack.append(n)
        for t in sorted(graph.get(n, ())):
            if state.get(t) == 1:
                found.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t)
        stack.pop()
        state[n] = 2
    for n in sorted(graph):
        if n not in state:
            visit(n)
    return found

bad = 0
for root in CRATES:
    for c in cycles(edges(root)):
        bad += 1
        print(f"{root}: import cycle " + " -> ".join("::".join(x) or "<root>" for x in c))
if bad:
    sys.exit(1)
print(f"no import cycles between modules ({len(CRATES)} crates)")
