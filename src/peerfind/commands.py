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
from .language.catalog import N_, translations
from .output.outline import Block, Item, organization_item
from .safety import shown


LINK_TITLES = {
    "populations": N_("Populations"), "conditions": N_("Conditions"),
    "settings": N_("Settings to look for"), "pathways": N_("Guided searches"),
    "organizations": N_("Organizations and lines"), "advice": N_("How to judge what you find"),
}
# What an entry is, as `peerfind show` says it.
KIND_NAMES = {
    "population": N_("population"), "condition": N_("condition"), "setting": N_("setting"),
    "pathway": N_("guided search"), "role": N_("role"), "term": N_("term"),
    "principle": N_("principle"), "topic": N_("topic"), "advice": N_("advice"),
}
# `peerfind list SECTION`: each section's heading.
SECTION_TITLES = {
    "populations": N_("Populations"), "conditions": N_("Conditions"), "settings": N_("Settings"),
    "organizations": N_("Organizations"), "roles": N_("Roles"), "terms": N_("Terms"),
    "principles": N_("Principles"), "topics": N_("Topics"), "pathways": N_("Guided searches"),
    "advice": N_("Advice"),
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
    tr = translations(kb.lang)
    entries = list(kb.sections[section].values())
    rows = [{"id": e.id, "name": e.name,
             "kind": tr.gettext(ORGANIZATION_TYPES.get(e.type, e.type))
             if isinstance(e, Organization)
             else e.kind} for e in entries]
    block = Block(section, tr.gettext(SECTION_TITLES.get(section, section.capitalize())),
                  items=[Item(f"{r['id']}: {r['name']}") for r in rows])
    _write(Document(f"peerfind {section}", rows, lambda: [block],
                    table=lambda: (("id", "name", "kind"), rows),
                    aligned=[(r["id"], r["name"]) for r in rows]), fmt, env)


# -- show ---------------------------------------------------------------------------------

def find_entry(kb: KnowledgeBase, entry_id: str) -> Entry:
    entry = kb.get(entry_id)
    if entry is None:
        tr = translations(kb.lang)
        hint = did_you_mean(entry_id, kb.all_ids(), n=3, cutoff=0.5, tr=tr) or tr.gettext(
            "see: peerfind list")
        # What was typed is not repeated.
        raise UsageError(tr.gettext("no entry with id {id}").format(id="").rstrip()
                         + f"; {hint}")
    return entry


def write_show(kb: KnowledgeBase, entry_id: str, fmt: str, env: Environment) -> None:
    tr = translations(kb.lang)
    entry = find_entry(kb, entry_id)
    data = entry_dict(entry)
    if isinstance(entry, Organization):
        head = organization_item(organization_dict(entry, kb.lang), tr)
    else:
        lines = [text for text in (entry.description, getattr(entry, "definition", ""),
                                   getattr(entry, "why", ""), getattr(entry, "body", "")) if text]
        if isinstance(entry, Pathway) and entry.template:
            lines.append(tr.gettext("Search: {template}").format(template=entry.template))
        lines += list(getattr(entry, "points", ()))
        head = Item(f"{entry.name} ({tr.gettext(KIND_NAMES.get(entry.kind, entry.kind))}: "
                    f"{entry.id})", lines)
    blocks = [Block("entry", entry.name, items=[head])]
    if entry.aliases:
        blocks.append(Block("aliases", tr.gettext("Words that match it"), ", ".join(entry.aliases)))
    for key, title in LINK_TITLES.items():
        title = tr.gettext(title)
        linked = [kb.sections[key].get(i) for i in getattr(entry, key)]
        if linked:
            blocks.append(Block(key, title, items=[Item(f"{e.name} ({e.id})") for e in linked if e]))
    data["links"] = {key: list(getattr(entry, key)) for key in LINK_TITLES if getattr(entry, key)}
    _write(Document(entry.name, data, lambda: blocks), fmt, env)


# -- about --------------------------------------------------------------------------------

def write_about(kb: KnowledgeBase, fmt: str, env: Environment) -> None:
    tr = translations(kb.lang)
    topics = sorted(kb.topics.values(), key=lambda t: t.order)
    blocks = [Block(t.id, t.name, t.body, [Item(p) for p in t.points]) for t in topics]
    blocks.append(Block("principles", tr.gettext("Core principles of peer support"), items=[
        Item(p.name, [p.description]) for p in kb.principles.values()]))
    groups = {"function": tr.gettext("What peer supporters do"),
              "career": tr.gettext("Wider roles"),
              "employer": tr.gettext("Who employs peer supporters")}
    for group, title in groups.items():
        roles = [r for r in kb.roles.values() if r.group == group]
        if roles:
            blocks.append(Block(f"roles-{group}", title, items=[
                Item(r.name, [r.description] if r.description else []) for r in roles]))
    blocks.append(Block("terms", tr.gettext("Words used for peer workers"), items=[
        Item(t.name, [t.definition or t.description]) for t in kb.terms.values()]))
    data = {
        "topics": [entry_dict(t) for t in topics],
        "principles": [entry_dict(p) for p in kb.principles.values()],
        "roles": [entry_dict(r) for r in kb.roles.values()],
        "terms": [entry_dict(t) for t in kb.terms.values()],
    }
    _write(Document(tr.gettext("About peer support"), data, lambda: blocks), fmt, env)


# -- crisis -------------------------------------------------------------------------------

def write_crisis(kb: KnowledgeBase, fmt: str, env: Environment) -> None:
    tr = translations(kb.lang)
    lines = crisis_lines(kb)
    orgs = [organization_dict(o, kb.lang) for o in lines]
    blocks = [Block("crisis", tr.gettext("Crisis lines: free, confidential, 24/7"),
                    kb.crisis.message, [organization_item(o, tr) for o in orgs])]
    data = {"crisis": {"detected": True, "message": kb.crisis.message, "resources": orgs},
            "footer": kb.crisis.footer}
    _write(Document(tr.gettext("Crisis lines"), data, lambda: blocks, kb.crisis.footer), fmt,
           env)


# -- validate -----------------------------------------------------------------------------

def run_validate(files: list[Path], builtin: bool, env: Environment) -> int:
    from .knowledge import builtin_path, check_files
    from .knowledge.files import read_source
    from .knowledge.load import language_sources, parse_layers
    from .knowledge.files import is_listing_store
    from .knowledge.translations import check_layer

    stores = [p for p in files if is_listing_store(p)]
    paths = ([builtin_path()] if builtin else []) + [p for p in files if p not in stores]
    if not paths and not stores:
        raise UsageError("nothing to validate: give a FILE, or drop --no-builtin")
    sources = [(str(p), read_source(p)) for p in paths]
    floor = None if builtin else (str(builtin_path()), read_source(builtin_path()))
    _, merged, problems = check_files(sources, floor_source=floor) if sources else ([], {}, [])
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    for problem in problems:
        env.stdout.write(clean_line(str(problem)) + "\n")
    layer_sources = language_sources(paths)
    for lang, layer in parse_layers(layer_sources).items():
        report = check_layer(merged, layer, lang)
        for line in report.errors + report.warnings:
            env.stdout.write(clean_line(line) + "\n")
        errors += len(report.errors)
        warnings += len(report.warnings)
        env.stderr.write(f"peerfind: {report.summary()}\n")
    for store in stores:
        lines = _store_warnings(store)
        warnings += len(lines)
        for line in lines:
            env.stdout.write(clean_line(f"{store}: warning: {line}") + "\n")
    checked = ", ".join([shown(name) for name, _ in sources] + [shown(name) for _, name, _ in layer_sources]
                        + [shown(str(p)) for p in stores])
    env.stderr.write(f"peerfind: {errors} error(s), {warnings} warning(s) in {checked}\n")
    if errors:
        return ExitStatus.ERROR
    return ExitStatus.WARNINGS if warnings else ExitStatus.OK


def _store_warnings(path: Path) -> list[str]:
    """A listing store's listings dated more than a year ago, or not dated at all."""
    import datetime as _dt

    from .answer.listing_store import ListingStore, stale

    old, undated, oldest = stale(ListingStore(path), _dt.date.today())
    lines = []
    if old:
        lines.append(f"{old} listings are more than a year old (the oldest from {oldest}): "
                     f"check them again or import a newer export")
    if undated:
        lines.append(f"{undated} listings carry no date of their own")
    return lines


# -- import-hsds, import-meetings -----------------------------------------------------------

def run_import(kb: KnowledgeBase, path: Path, output: str, keep_all: bool,
               env: Environment, *, kind: str = "hsds", force: bool = False,
               directory: str | None = None, updated: str | None = None,
               fellowship: str = "") -> None:
    """Import a directory: `output` ending in .db gets a SQLite listing store, anything else
    (or - for stdout) a knowledge-base YAML file."""
    from .importers import dump_yaml, read_import, write_atomic, yaml_document
    from .importers.write import write_store
    from .knowledge.cache import cache_dir
    from .geo import Places

    if updated is not None:
        import datetime as _dt

        try:
            updated = _dt.date.fromisoformat(updated).isoformat()
        except ValueError:
            raise UsageError("--updated: expected a date like 2019-08-19") from None
    places = Places(cache_dir(env.environ))
    # Open the ZIP code table now: the first time, it is built from the zipcodes package, and
    # built after the tables were read that would add to the import's peak memory.
    places.zip_place("00000")
    with progress_for(env) as progress:
        job = read_import(path, kb, kind=kind, keep_all=keep_all, directory=directory,
                          updated=updated, fellowship=fellowship, places=places,
                          on_progress=progress.update)
        if output.endswith(".db"):
            from .importers.build import store_words

            write_atomic(Path(output), lambda temp: write_store(
                temp, job.records(), dict(job.meta, directory=job.directory,
                                          kinds=job.rules.setting_kinds), store_words),
                force=force)
            text = None
        else:
            text = dump_yaml(yaml_document(job.records(), job.meta))
    if text is not None:
        if output == "-":
            env.stdout.write(text)
        else:
            from .output.files import write_atomic as write_text

            write_text(output, text, force=force)
    for line in job.summary.lines():
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
