"""The people who act and sign (sheet Pegawai): who holds which role on which date."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from pipeline.register.columns import Status, choice_of
from pipeline.register.reader import Record
from pipeline.register.values import norm_key
from pipeline.sop.steps import Actor

_ROLE = {"Kepala Dinas": Actor.KADIS, "Kepala Bidang": Actor.KABID, "Tim Teknis": Actor.TIM}
# When terms overlap, a Plh. (standing in for an absent official) signs before a Plt., before the Definitif.
_PRECEDENCE = {Status.PLH: 0, Status.PLT: 1, Status.DEFINITIF: 2}


@dataclass(frozen=True)
class Person:
    nama: str
    nip: str
    pangkat: str
    jabatan: str
    role: Actor | None
    mulai: date | None
    selesai: date | None
    status: Status
    row: int

    def in_office(self, on: date) -> bool:
        return (self.mulai is None or self.mulai <= on) and (self.selesai is None or on <= self.selesai)


class Staff:
    def __init__(self, people: Iterable[Person]) -> None:
        self.people = tuple(people)
        self._by_name: dict[str, Person] = {}
        for person in self.people:
            self._by_name.setdefault(norm_key(person.nama), person)

    @classmethod
    def from_records(cls, records: Iterable[Record]) -> Staff:
        people = []
        for r in records:
            if not r.text("nama"):
                continue
            people.append(Person(r.text("nama"), r.text("nip"), r.text("pangkat"), r.text("jabatan"),
                                 _ROLE.get(r.text("peran")), r.get("mulai"), r.get("selesai"),
                                 choice_of(Status, r.text("status")) or Status.DEFINITIF, r.row))
        return cls(people)

    def find(self, name: str) -> Person | None:
        """A person by name, ignoring case, spacing and punctuation of the gelar."""
        return self._by_name.get(norm_key(name))

    def holders(self, role: Actor, on: date) -> list[Person]:
        found = [p for p in self.people if p.role is role and p.in_office(on)]
        return sorted(found, key=lambda p: (_PRECEDENCE.get(p.status, 3), -(p.mulai or date.min).toordinal()))

    def holder(self, role: Actor, on: date) -> Person | None:
        """Whoever signs for ``role`` on ``on``: a Plh. or Plt. in office stands in for the Definitif."""
        found = self.holders(role, on)
        return found[0] if found else None
