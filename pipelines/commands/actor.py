"""``newsevents actor``: look an actor up in the actor knowledge base (a name or title and a date in; country or
organisation, office and term out)."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date

ROLE_WORDS = {"S": "head of state", "G": "head of government", "SG": "head of state and government",
              "L": "party or de facto leader", "C": "heir to the throne", "O": "officer of the organisation"}


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"takes a date as YYYY-MM-DD, not {value!r}") from None


def add_parser(sub) -> None:
    p = sub.add_parser("actor", help="look an actor up in the knowledge base: country, office and term on a date")
    p.add_argument("text", metavar="NAME", help='a name, a title or both: "Xi Jinping", "President Erdogan", '
                                                '"the Indian prime minister", "the Kremlin", "NATO"')
    p.add_argument("--date", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                   help="the article's date (default: today)")
    p.add_argument("--json", action="store_true", help="print JSON")


def _office(term) -> str:
    when = f"{term.start} to {term.end}" if term.end else f"since {term.start}"
    return f"{term.office.replace('_', ' ')} of {term.code} ({ROLE_WORDS[term.role]}), {when}"


def _as_dict(r, kb, day: date) -> dict:
    out = {"kind": r.kind, "code": r.code, "name": r.name, "rule": r.rule, "status": r.status}
    if r.kind == "person":
        out["country"] = r.code if r.code in kb.countries else None
        out["organisation"] = r.code if r.code in kb.organisations else None
        out["offices"] = [{"code": t.code, "office": t.office, "role": t.role, "start": t.start.isoformat(),
                           "end": t.end.isoformat() if t.end else None} for t in (r.term, *r.also)]
    elif r.kind == "organisation":
        o = kb.organisations[r.code]
        out.update(cameo=o.cameo, type=o.kind, members=o.members_on(day) if o.members is not None else None)
    return out


def _lines(r, kb, day: date) -> list[str]:
    if r.kind == "organisation":
        o = kb.organisations[r.code]
        lines = [f"{o.name} ({o.kind})", f"  code:    {o.code}" + (f"   CAMEO: {o.cameo}" if o.cameo else ""),
                 f"  matched: {r.rule}"]
        if o.members is not None:
            members = o.members_on(day)
            lines.append(f"  members on {day} ({len(members)}): {' '.join(members)}")
        return lines
    if r.kind == "country":
        return [f"{r.name} ({r.code})", f"  matched: {r.rule}"]
    where = kb.countries[r.code].name if r.code in kb.countries else kb.organisations[r.code].name
    status = {"in_office": f"in office on {day}", "former": f"no office on {day}: a former office holder",
              "not_yet": f"no office on {day}: not yet in office"}[r.status]
    label = {"in_office": "office", "former": "last office", "not_yet": "first office"}[r.status]
    lines = [f"{r.name}: {status}", f"  {'country' if r.code in kb.countries else 'organisation'}: "
             f"{r.code} ({where})", f"  {label}: {_office(r.term)}"]
    lines += [f"  also: {_office(t)}" for t in r.also]
    return lines + [f"  matched: {r.rule}"]


def main(args, _beam_args) -> int:
    from newsevents.actors import knowledge_base, resolve_all
    kb = knowledge_base()
    day = args.date or date.today()
    readings = resolve_all(args.text, day, kb)
    if args.json:
        print(json.dumps({"query": args.text, "date": day.isoformat(), "version": kb.version,
                          "current_to": kb.current_to.isoformat(),
                          "readings": [_as_dict(r, kb, day) for r in readings]}, ensure_ascii=False, indent=2))
        return 0 if len(readings) == 1 else 1
    if not readings:
        print(f"newsevents actor: no actor {args.text!r} on {day} in the knowledge base {kb.version}",
              file=sys.stderr)
        return 1
    if len(readings) > 1:
        who = "; ".join(f"{r.name} ({r.code} {r.office.replace('_', ' ') if r.office else r.kind})"
                        for r in readings)
        print(f"newsevents actor: {args.text!r} is ambiguous on {day}: {who}; name a title or a country too",
              file=sys.stderr)
        return 1
    print("\n".join(_lines(readings[0], kb, day)))
    note = " (after it, offices may have changed)" if day > kb.current_to else ""
    print(f"knowledge base {kb.version}, current to {kb.current_to}{note}")
    return 0
