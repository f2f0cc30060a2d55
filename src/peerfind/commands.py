"""What the smaller commands show: lists, single entries, about, crisis lines, validation
reports, HSDS imports and the output schema. Each builds a Document (blocks for people, data
for programs) and hands it to the output registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .answer.crisis import crisis_lines
from .answer.result import organization_dict
from .env import Environment
from .errors import UsageError, did_you_mean, os_error_message
from .exitcodes import ExitStatus
from .knowledge import KnowledgeBase
from .knowledge.model import ORGANIZATION_TYPES, Entry, Organization, Pathway, allowed_keys
from .language.normalize import clean_line
from .output import write_document
from .output.base import Document
from .output.outline import Block, Item, organization_item
from .safety import shown


LINK_TITLES = {
    "populations": "Populations", "conditions": "Conditions", "settings": "Settings to look for",
    "pathways": "Guided searches", "organizations": "Organizations and lines",
    "advice": "How to judge what you find",
}


def _write(doc: Document, fmt: str, env: Environment) -> None:
    write_document(doc, fmt, env.stdout, colour=env.colour)


def entry_dict(entry: Entry) -> dict[str, Any]:
    if isinstance(entry, Organization):
        return dict(organization_dict(entry), section=entry.section, aliases=list(entry.aliases))
    data: dict[str, Any] = {"kind": entry.kind, "section": entry.section}
    for name in allowed_keys(type(entry)):
        value = getattr(entry, name)
        data[name] = list(value) if isinstance(value, tuple) else value
    return data


# -- list ---------------------------------------------------------------------------------

def write_list(kb: KnowledgeBase, section: str, fmt: str, env: Environment) -> None:
    entries = list(kb.sections[section].values())
    rows = [{"id": e.id, "name": e.name,
             "kind": ORGANIZATION_TYPES.get(e.type, e.type) if isinstance(e, Organization)
             else e.kind} for e in entries]
    block = Block(section, section.capitalize(),
                  items=[Item(f"{r['id']}: {r['name']}") for r in rows])
    _write(Document(f"peerfind {section}", rows, lambda: [block],
                    table=lambda: (("id", "name", "kind"), rows),
                    aligned=[(r["id"], r["name"]) for r in rows]), fmt, env)


# -- show ---------------------------------------------------------------------------------

def find_entry(kb: KnowledgeBase, entry_id: str) -> Entry:
    entry = kb.get(entry_id)
    if entry is None:
        hint = did_you_mean(entry_id, kb.all_ids(), n=3, cutoff=0.5) or "see: peerfind list"
        raise UsageError(f"no entry has that id; {hint}")  # what was typed is not repeated
    return entry


def write_show(kb: KnowledgeBase, entry_id: str, fmt: str, env: Environment) -> None:
    entry = find_entry(kb, entry_id)
    data = entry_dict(entry)
    if isinstance(entry, Organization):
        head = organization_item(organization_dict(entry))
    else:
        lines = [text for text in (entry.description, getattr(entry, "definition", ""),
                                   getattr(entry, "why", ""), getattr(entry, "body", "")) if text]
        if isinstance(entry, Pathway) and entry.template:
            lines.append(f"Search: {entry.template}")
        lines += list(getattr(entry, "points", ()))
        head = Item(f"{entry.name} ({entry.kind}: {entry.id})", lines)
    blocks = [Block("entry", entry.name, items=[head])]
    if entry.aliases:
        blocks.append(Block("aliases", "Words that match it", ", ".join(entry.aliases)))
    for key, title in LINK_TITLES.items():
        linked = [kb.sections[key].get(i) for i in getattr(entry, key)]
        if linked:
            blocks.append(Block(key, title, items=[Item(f"{e.name} ({e.id})") for e in linked if e]))
    data["links"] = {key: list(getattr(entry, key)) for key in LINK_TITLES if getattr(entry, key)}
    _write(Document(entry.name, data, lambda: blocks), fmt, env)


# -- about --------------------------------------------------------------------------------

def write_about(kb: KnowledgeBase, fmt: str, env: Environment) -> None:
    topics = sorted(kb.topics.values(), key=lambda t: t.order)
    blocks = [Block(t.id, t.name, t.body, [Item(p) for p in t.points]) for t in topics]
    blocks.append(Block("principles", "Core principles of peer support", items=[
        Item(p.name, [p.description]) for p in kb.principles.values()]))
    groups = {"function": "What peer supporters do", "career": "Wider roles",
              "employer": "Who employs peer supporters"}
    for group, title in groups.items():
        roles = [r for r in kb.roles.values() if r.group == group]
        if roles:
            blocks.append(Block(f"roles-{group}", title, items=[
                Item(r.name, [r.description] if r.description else []) for r in roles]))
    blocks.append(Block("terms", "Words used for peer workers", items=[
        Item(t.name, [t.definition or t.description]) for t in kb.terms.values()]))
    data = {
        "topics": [entry_dict(t) for t in topics],
        "principles": [entry_dict(p) for p in kb.principles.values()],
        "roles": [entry_dict(r) for r in kb.roles.values()],
        "terms": [entry_dict(t) for t in kb.terms.values()],
    }
    _write(Document("About peer support", data, lambda: blocks), fmt, env)


# -- crisis -------------------------------------------------------------------------------

def write_crisis(kb: KnowledgeBase, fmt: str, env: Environment) -> None:
    lines = crisis_lines(kb)
    orgs = [organization_dict(o) for o in lines]
    blocks = [Block("crisis", "Crisis lines: free, confidential, 24/7", kb.crisis.message,
                    [organization_item(o) for o in orgs])]
    data = {"crisis": {"detected": True, "message": kb.crisis.message, "resources": orgs},
            "footer": kb.crisis.footer}
    _write(Document("Crisis lines", data, lambda: blocks, kb.crisis.footer), fmt, env)


# -- validate -----------------------------------------------------------------------------

def run_validate(files: list[Path], builtin: bool, env: Environment) -> int:
    from .knowledge import builtin_path, check_files
    from .knowledge.files import read_source

    paths = ([builtin_path()] if builtin else []) + files
    if not paths:
        raise UsageError("nothing to validate: give a FILE, or drop --no-builtin")
    sources = [(str(p), read_source(p)) for p in paths]
    floor = None if builtin else (str(builtin_path()), read_source(builtin_path()))
    _, _, problems = check_files(sources, floor_source=floor)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    for problem in problems:
        env.stdout.write(clean_line(str(problem)) + "\n")
    checked = ", ".join(shown(name) for name, _ in sources)
    env.stderr.write(f"peerfind: {errors} error(s), {warnings} warning(s) in {checked}\n")
    if errors:
        return ExitStatus.ERROR
    return ExitStatus.WARNINGS if warnings else ExitStatus.OK


# -- import-hsds --------------------------------------------------------------------------

def run_import(kb: KnowledgeBase, path: Path, output: str, keep_all: bool,
               env: Environment) -> None:
    from .hsds import dump_yaml, import_hsds

    with progress_for(env) as progress:
        document, summary = import_hsds(path, kb, keep_all=keep_all, on_progress=progress.update)
    text = dump_yaml(document)
    if output == "-":
        env.stdout.write(text)
    else:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{output}: {os_error_message(exc, 'write')}") from None
    for line in summary.lines():
        env.stderr.write(f"peerfind: {line}\n")


class NullProgress:
    """Reports nothing: stderr is not a terminal. The importer reports to it all the same."""

    def __enter__(self) -> NullProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def update(self, done: int, total: int) -> None:
        pass


class BarProgress(NullProgress):
    """A rich progress bar on a terminal's stderr, gone when the import ends."""

    def __init__(self, stderr: Any) -> None:
        from rich.console import Console
        from rich.progress import Progress

        self._bar = Progress(console=Console(file=stderr), transient=True)
        self._task = self._bar.add_task("importing services", total=None)

    def __enter__(self) -> BarProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def update(self, done: int, total: int) -> None:
        self._bar.update(self._task, completed=done, total=total)


def progress_for(env: Environment) -> NullProgress:
    stderr = env.stderr
    if not (hasattr(stderr, "isatty") and stderr.isatty()) or env.environ.get("TERM") == "dumb":
        return NullProgress()
    return BarProgress(stderr)


# -- schema -------------------------------------------------------------------------------

def write_schema(env: Environment) -> None:
    path = Path(__file__).with_name("result.schema.json")
    env.stdout.write(path.read_text(encoding="utf-8"))
