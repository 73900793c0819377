"""vCard 4.0 (RFC 6350) for one person of the directory.

Text values escape backslash, comma, semicolon and newlines (section 3.4); lines end
in CRLF and are folded at 75 octets without splitting a UTF-8 character (section 3.2).
"""

from .phones import dial_href


def escape_text(value: str) -> str:
    value = str(value or "")
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str, limit: int = 75) -> str:
    """Split a content line into chunks of at most `limit` octets, joined by CRLF + space."""
    chunks, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        # Continuation lines start with a space, which counts toward their length.
        if size + width > (limit if not chunks else limit - 1):
            chunks.append(current)
            current, size = "", 0
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def person_vcard(person, organisation: str = "") -> str:
    code = person.country.code if person.country_id else None
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"FN:{escape_text(person.name)}",
    ]
    if person.role:
        lines.append(f"TITLE:{escape_text(person.role)}")
    if organisation:
        lines.append(f"ORG:{escape_text(organisation)}")
    for phone in person.phone_list:
        uri = dial_href(phone, code)
        if uri:
            lines.append(f"TEL;VALUE=uri;TYPE=work,voice:tel:{uri}")
    if person.email:
        lines.append(f"EMAIL;TYPE=work:{escape_text(person.email)}")
    if person.country_id:
        # ADR has seven components; only the country name is known.
        lines.append(f"ADR;TYPE=work:;;;;;;{escape_text(person.country.name)}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)
