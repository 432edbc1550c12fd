"""Build an ad-hoc source for `import PATH`: the file type from its name, the mapping from its columns."""
from __future__ import annotations

from pathlib import Path

from pipelines import settings
from pipelines.sources import SourceError
from pipelines.sources.config import ConfigError, Mapping, Source, Stream, load_mapping_file
from pipelines.sources.inbox import readers

IMPORT_SOURCE = "import"     # one pipeline name for all imports: a file's content is taken once, whatever its name
_KIND_OF_ENTITY = {"request": "requests", "milestone": "milestones", "document": "documents", "event": "documents"}


def mapping_folder() -> Path:
    return settings.path("XIAONENG_CONFIG") / "mappings"


def score(mapping: Mapping, columns: set[str]) -> int:
    """How well a mapping fits a header: -1 if a column it needs is missing, else the columns it uses."""
    used = 0
    for spec in mapping.fields.values():
        if spec.how == "value":
            continue
        present = [c for c in spec.columns if c in columns]
        if spec.how == "first_of":
            used += bool(present)
        elif len(present) < len(spec.columns):
            return -1
        else:
            used += len(present)
    return used


def candidates(columns: set[str], kind: str | None, folder: Path | None = None) -> list[tuple[int, Path, Mapping]]:
    found = []
    for path in sorted((folder or mapping_folder()).glob("*.toml")):
        try:
            mappings = load_mapping_file(path)
        except ConfigError:
            continue
        for entity_name, mapping in mappings.items():
            if entity_name not in _KIND_OF_ENTITY:
                continue
            if kind is not None and _KIND_OF_ENTITY[entity_name] != kind:
                continue
            points = score(mapping, columns)
            if points > 0:
                found.append((points, path, mapping))
    return sorted(found, key=lambda c: (-c[0], c[1].name))


def source_for(paths: list[Path], kind: str | None = None, mapping: Path | None = None) -> Source:
    if not paths:
        raise SourceError("no file given")
    for path in paths:
        if not path.is_file():
            raise SourceError(f"no file at {path}")
    formats = {readers.format_of(p) for p in paths}
    if len(formats) != 1:
        raise SourceError("import files of one type at a time")
    fmt = formats.pop()
    if fmt == "xes":
        columns = None
    else:
        columns = set(readers.header_of(paths[0], fmt))
    if mapping is not None:
        mappings = load_mapping_file(mapping)
        usable = {e: m for e, m in mappings.items() if e in _KIND_OF_ENTITY
                  and (kind is None or _KIND_OF_ENTITY[e] == kind)}
        if fmt == "xes":
            usable = {e: m for e, m in usable.items() if e == "event"}
        if not usable:
            raise SourceError(f"{mapping.name} maps no {kind or 'importable'} records")
        if columns is not None:
            ranked = sorted(usable.items(), key=lambda em: -score(em[1], columns))
            entity_name, chosen = ranked[0]
            if score(chosen, columns) < 0:
                missing = sorted(chosen.source_columns() - columns)
                raise SourceError(f"{paths[0].name} lacks column(s) {', '.join(missing)} that {mapping.name} needs")
        else:
            entity_name, chosen = next(iter(usable.items()))
    elif fmt == "xes":
        if kind not in (None, "documents"):
            raise SourceError("an XES event log holds documents")
        entity_name, chosen = "event", load_mapping_file(mapping_folder() / "eventlog_xes.toml")["event"]
    else:
        found = candidates(columns, kind)
        if not found:
            raise SourceError(f"no mapping in {mapping_folder()} fits the columns of {paths[0].name}; "
                              "write one (see docs/pipelines.md) and pass --mapping FILE")
        _, _, chosen = found[0]
        entity_name = chosen.entity
    type_ = "eventlog" if entity_name == "event" else "inbox"
    stream = Stream(name=entity_name, entity=entity_name, mapping=chosen)
    return Source(name=IMPORT_SOURCE, type=type_, kind=_KIND_OF_ENTITY[entity_name], streams=(stream,),
                  options={"path": str(paths[0].parent), "format": fmt}, expected_interval_s=0)


