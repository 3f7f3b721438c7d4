"""Templates available in a vault: the built-ins plus the patient's own.

Custom templates are stored in the vault as their TOML source, so importing a
file a therapist handed over needs nothing outside the vault afterwards.
"""

from __future__ import annotations

from pathlib import Path

from journal.core.errors import NotFound, TemplateInvalid
from journal.core.fsutil import atomic_write_bytes
from journal.core.templates import MAX_TEMPLATE_BYTES, Template, builtin_templates, parse_template
from journal.core.vault.repositories.base import Repository


class TemplateRepository(Repository):
    def builtins(self) -> list[Template]:
        return list(builtin_templates())

    def custom(self) -> list[Template]:
        rows = self._db.query("SELECT id, source FROM templates ORDER BY id")
        return [parse_template(r["source"], name=r["id"]) for r in rows]

    def all(self) -> list[Template]:
        return self.builtins() + self.custom()

    def get(self, template_id: str) -> Template:
        for template in self.all():
            if template.id == template_id:
                return template
        raise NotFound(f'There is no template with the id "{template_id}".')

    def add_source(self, text: str, *, name: str = "template") -> Template:
        """Validate TOML text and store it; a custom template with the same id
        is replaced. Raises `TemplateInvalid`."""
        template = parse_template(text, name=name)
        if any(b.id == template.id for b in self.builtins()):
            raise TemplateInvalid(
                f'{name}: the id "{template.id}" belongs to a built-in template; '
                "give your template another id."
            )
        with self._db.transaction():
            self._db.execute(
                "INSERT INTO templates (id, source, imported_at) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET source = excluded.source, "
                "imported_at = excluded.imported_at",
                (template.id, text, self._now()),
            )
        return template

    def import_file(self, path: Path) -> Template:
        """Import a template file into the vault. Raises `TemplateInvalid`."""
        path = Path(path)
        try:
            if path.stat().st_size > MAX_TEMPLATE_BYTES:
                raise TemplateInvalid(f"{path.name}: the file is too large to be a template.")
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise TemplateInvalid(f"{path.name}: the file is not UTF-8 text.") from None
        except OSError:
            raise TemplateInvalid(f"{path.name}: the file could not be read.") from None
        return self.add_source(text, name=path.name)

    def export_file(self, template_id: str, path: Path) -> None:
        """Write a template's TOML to ``path`` (atomically)."""
        atomic_write_bytes(
            Path(path), self.get(template_id).source.encode("utf-8"), mode=0o644, output=True
        )

    def delete(self, template_id: str) -> None:
        with self._db.transaction():
            self._db.execute("DELETE FROM templates WHERE id = ?", (template_id,))
