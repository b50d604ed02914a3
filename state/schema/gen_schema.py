#!/usr/bin/env python3
"""state/schema/gen_schema.py - Microsoft Graph's v1.0 CSDL to C tables.

Reads Graph's published service metadata (the document GET /v1.0/$metadata
serves) and writes state/schema/schema_gen.c: every root type below, the
closure of what their structural properties reference, their base types,
and the entity sets and singletons graphmock serves. It also writes
state/schema/graph-v1.0-subset.csdl, the CSDL elements of exactly those
types, so that the generator re-runs inside the repository.

    make schema                        # from the committed subset
    make schema CSDL=../shared/graph-csdl/v1.0.csdl   # from the full document
    gen_schema.py --csdl FILE [--out C] [--subset CSDL] [--check]

--check writes nothing: it exits 1 when the committed files differ from what
the generator would write (make lint runs it). Python 3 standard library only;
the build itself never runs this script.
"""

import argparse
import os
import re
import sys
import xml.etree.ElementTree as ET

# ---- what to emit (extend here) ---------------------------------------------

# Root types, qualified or short (short means microsoft.graph.<name>). Their
# base types, every complex and enum type their structural properties
# reference (and the complex types derived from those), transitively, are
# emitted too. Navigation targets are not followed: a navigation property
# names its target type, which has a table only when it is emitted itself.
ROOTS = [
    # served today
    "entity",
    "directoryObject",
    "user",
    "group",
    "application",
    "servicePrincipal",
    "appRoleAssignment",
    "invitation",
    "organization",
    "applicationTemplate",
    "subscription",
    # issue 11: /directory/deletedItems, change notifications' bodies
    "directory",
    "changeNotification",
    "changeNotificationCollection",
    # issue 12: delegated consent (/me/oauth2PermissionGrants)
    "oAuth2PermissionGrant",
    # GET/PATCH /policies/authorizationPolicy (who may invite guests)
    "authorizationPolicy",
    # issue 10: POST /applicationTemplates/{id}/instantiate answers this type
    "applicationServicePrincipal",
    # GET /domains: scripts find the tenant's default domain for new UPNs
    "domain",
]

# Entity sets and singletons of the GraphService container for $metadata and
# the service document. Their types become roots as well.
SOURCES = [
    "applications",
    "applicationTemplates",
    "directory",
    "directoryObjects",
    "domains",
    "groups",
    "invitations",
    "me",
    "oauth2PermissionGrants",
    "organization",
    "policies",
    "servicePrincipals",
    "subscriptions",
    "users",
]

DEFAULT_NS = "microsoft.graph"
EDMX = "http://docs.oasis-open.org/odata/ns/edmx"
EDM = "http://docs.oasis-open.org/odata/ns/edm"
HERE = os.path.dirname(os.path.abspath(__file__))
REL = "state/schema"

# CSDL primitive type -> enum schema_edm (state/schema/schema.h).
PRIMITIVES = {
    "Edm.String": "SCHEMA_EDM_STRING",
    "Edm.Boolean": "SCHEMA_EDM_BOOLEAN",
    "Edm.Guid": "SCHEMA_EDM_GUID",
    "Edm.DateTimeOffset": "SCHEMA_EDM_DATE_TIME_OFFSET",
    "Edm.Date": "SCHEMA_EDM_DATE",
    "Edm.TimeOfDay": "SCHEMA_EDM_TIME_OF_DAY",
    "Edm.Duration": "SCHEMA_EDM_DURATION",
    "Edm.Byte": "SCHEMA_EDM_BYTE",
    "Edm.SByte": "SCHEMA_EDM_SBYTE",
    "Edm.Int16": "SCHEMA_EDM_INT16",
    "Edm.Int32": "SCHEMA_EDM_INT32",
    "Edm.Int64": "SCHEMA_EDM_INT64",
    "Edm.Single": "SCHEMA_EDM_SINGLE",
    "Edm.Double": "SCHEMA_EDM_DOUBLE",
    "Edm.Decimal": "SCHEMA_EDM_DECIMAL",
    "Edm.Binary": "SCHEMA_EDM_BINARY",
    "Edm.Stream": "SCHEMA_EDM_STREAM",
}
# Attributes the tables carry; anything else on an emitted property (a
# Precision, a MaxLength...) stops the generator rather than being dropped.
PROP_ATTRS = {"Name", "Type", "Nullable"}
NAV_ATTRS = {"Name", "Type", "Nullable", "ContainsTarget"}


class SchemaError(Exception):
    pass


def tag(el):
    return el.tag.rsplit("}", 1)[-1]


def fold(s):
    """The order schema.c's bsearch uses: ASCII case folded, then bytes."""
    return s.lower().encode("ascii")


class Csdl:
    """The types and the entity container of one CSDL document."""

    def __init__(self, text):
        self.root = ET.fromstring(text)
        self.aliases = {}
        self.types = {}  # qualified name -> (element, namespace)
        self.order = {}  # qualified name -> document position
        self.schemas = []  # (namespace, Schema element)
        self.container = None
        for schema in self.root.iter("{%s}Schema" % EDM):
            ns = schema.get("Namespace")
            self.schemas.append((ns, schema))
            if schema.get("Alias"):
                self.aliases[schema.get("Alias")] = ns
            for el in schema:
                t = tag(el)
                if t in ("EntityType", "ComplexType", "EnumType", "TypeDefinition"):
                    name = ns + "." + el.get("Name")
                    self.order[name] = len(self.order)
                    self.types[name] = (el, ns)
                elif t == "EntityContainer":
                    self.container = el
        if self.container is None:
            raise SchemaError("no EntityContainer in the CSDL")
        self.derived = {}
        for name, (el, ns) in self.types.items():
            if el.get("BaseType"):
                base = self.qualify(el.get("BaseType"))
                self.derived.setdefault(base, []).append(name)

    def qualify(self, ref):
        """'graph.user' or 'Collection(graph.user)' -> 'microsoft.graph.user'."""
        m = re.fullmatch(r"Collection\((.*)\)", ref)
        if m:
            ref = m.group(1)
        ns, _, name = ref.rpartition(".")
        if ns == "Edm":
            return ref
        return self.aliases.get(ns, ns) + "." + name

    def kind(self, name):
        if name not in self.types:
            raise SchemaError("type '%s' is not in the CSDL (a new root needs the full "
                              "document: make schema CSDL=.../v1.0.csdl)" % name)
        return tag(self.types[name][0])

    def source(self, name):
        for el in self.container:
            if tag(el) in ("EntitySet", "Singleton") and el.get("Name") == name:
                return el
        raise SchemaError("no entity set or singleton '%s' in the CSDL" % name)


def full_name(csdl, ref):
    return csdl.qualify(ref) if "." in ref else DEFAULT_NS + "." + ref


def closure(csdl):
    """The qualified names of every type to emit."""
    todo = [full_name(csdl, r) for r in ROOTS]
    for s in SOURCES:
        el = csdl.source(s)
        todo.append(csdl.qualify(el.get("EntityType") or el.get("Type")))
    seen = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        kind = csdl.kind(name)
        if kind == "TypeDefinition":
            raise SchemaError("type definition '%s' is referenced: extend the generator"
                              % name)
        seen.add(name)
        el = csdl.types[name][0]
        if el.get("BaseType"):
            todo.append(csdl.qualify(el.get("BaseType")))
        for p in el.findall("{%s}Property" % EDM):
            ref = csdl.qualify(p.get("Type"))
            if ref.startswith("Edm."):
                continue
            todo.append(ref)
            # A property of complex type X may hold any type derived from X.
            if csdl.kind(ref) == "ComplexType":
                stack = [ref]
                while stack:
                    for d in csdl.derived.get(stack.pop(), []):
                        todo.append(d)
                        stack.append(d)
    return seen


def c_ident(name):
    return re.sub(r"[^A-Za-z0-9]", "_", name)


def c_str(s):
    if not re.fullmatch(r"[\x20-\x7e]*", s) or "\\" in s or '"' in s:
        raise SchemaError("unexpected characters in '%s'" % s)
    return '"%s"' % s


class Emitter:
    def __init__(self, csdl, names):
        self.csdl = csdl
        # The type table is sorted by folded qualified name for bsearch.
        self.names = sorted(names, key=lambda n: (fold(n), n.encode("ascii")))
        self.index = {n: i for i, n in enumerate(self.names)}
        self.props = {}  # type -> [dict] own properties, CSDL order
        for n in self.names:
            self.props[n] = self.own_props(n)

    def base(self, name):
        el = self.csdl.types[name][0]
        return self.csdl.qualify(el.get("BaseType")) if el.get("BaseType") else None

    def chain(self, name):
        """name's base chain, root first, name last."""
        out = []
        while name:
            out.append(name)
            name = self.base(name)
        return list(reversed(out))

    def own_props(self, name):
        el = self.csdl.types[name][0]
        kind = tag(el)
        if kind == "EnumType":
            return []
        keys = set()
        key = el.find("{%s}Key" % EDM)
        if key is not None:
            keys = {r.get("Name") for r in key.findall("{%s}PropertyRef" % EDM)}
        out = []
        for p in el:
            t = tag(p)
            if t not in ("Property", "NavigationProperty"):
                continue
            nav = t == "NavigationProperty"
            extra = set(p.attrib) - (NAV_ATTRS if nav else PROP_ATTRS)
            if extra:
                raise SchemaError("%s.%s has attributes %s the tables do not carry: "
                                  "extend the generator"
                                  % (name, p.get("Name"), sorted(extra)))
            raw = p.get("Type")
            ref = self.csdl.qualify(raw)
            if ref.startswith("Edm."):
                if nav or ref not in PRIMITIVES:
                    raise SchemaError("%s.%s: unknown type %s" % (name, p.get("Name"), raw))
                edm = PRIMITIVES[ref]
            elif nav:
                # Always an entity type; it need not be in a subset CSDL.
                if ref in self.csdl.types and self.csdl.kind(ref) != "EntityType":
                    raise SchemaError("%s.%s navigates to a %s"
                                      % (name, p.get("Name"), self.csdl.kind(ref)))
                edm = "SCHEMA_EDM_ENTITY"
            else:
                k = self.csdl.kind(ref)
                if k == "ComplexType":
                    edm = "SCHEMA_EDM_COMPLEX"
                elif k == "EnumType":
                    edm = "SCHEMA_EDM_ENUM"
                else:
                    raise SchemaError("%s.%s: structural property of %s type"
                                      % (name, p.get("Name"), k))
            flags = []
            if p.get("Nullable", "true") != "false":  # CSDL: absent means true
                flags.append("SCHEMA_PROP_NULLABLE")
            if raw.startswith("Collection("):
                flags.append("SCHEMA_PROP_COLLECTION")
            if nav:
                flags.append("SCHEMA_PROP_NAVIGATION")
                if p.get("ContainsTarget") == "true":
                    flags.append("SCHEMA_PROP_CONTAINS_TARGET")
            if p.get("Name") in keys:
                flags.append("SCHEMA_PROP_KEY")
            out.append({"name": p.get("Name"), "type": ref, "edm": edm,
                        "flags": flags, "owner": name})
        names = [p["name"] for p in out]
        if len(set(names)) != len(names):
            raise SchemaError("%s declares a property twice" % name)
        return out

    def all_props(self, name):
        out = []
        for n in self.chain(name):
            out.extend(self.props[n])
        seen = set()
        for p in out:
            if p["name"] in seen:
                raise SchemaError("%s redeclares inherited %s" % (name, p["name"]))
            seen.add(p["name"])
        return out

    def pref(self, p):
        """The C address of property p in its owner's table."""
        own = self.props[p["owner"]]
        return "&p_%s[%d]" % (c_ident(p["owner"]), own.index(p))

    def tref(self, name):
        return "T(%s)" % c_ident(name) if name in self.index else "NULL"

    def members(self, name):
        el = self.csdl.types[name][0]
        out = []
        for i, m in enumerate(el.findall("{%s}Member" % EDM)):
            v = m.get("Value")
            out.append((m.get("Name"), int(v) if v is not None else i))
        return out

    def bindings(self, src_type, el):
        """The bindings whose path resolves on emitted types and whose target is
        an emitted source; the others point at what graphmock does not model."""
        out = []
        for b in el.findall("{%s}NavigationPropertyBinding" % EDM):
            path, target = b.get("Path"), b.get("Target")
            if target not in SOURCES:
                continue
            cur, ok = src_type, True
            for seg in path.split("/"):
                if cur is None or cur not in self.index:
                    ok = False
                    break
                if "." in seg:
                    cur = seg if seg in self.index else None
                    continue
                prop = [p for p in self.all_props(cur) if p["name"] == seg]
                if not prop or "SCHEMA_PROP_NAVIGATION" not in prop[0]["flags"]:
                    ok = False
                    break
                cur = prop[0]["type"]
            if ok:
                out.append((path, target))
        return out

    def emit(self, commit):
        csdl, o = self.csdl, []
        if csdl.container.get("Name") != "GraphService":
            raise SchemaError("the container is not GraphService: update schema.h's "
                              "SCHEMA_CONTAINER")
        w = o.append
        w("/*")
        w(" * state/schema/schema_gen.c - GENERATED by state/schema/gen_schema.py; do not edit:")
        w(" * change the script's ROOTS or SOURCES and run `make schema`.")
        w(" * Source: Microsoft Graph v1.0 CSDL, microsoftgraph/msgraph-metadata")
        w(" * schemas/v1.0-Prod.csdl at commit %s (MIT, see LICENSE-graph-csdl)," % commit)
        w(" * through state/schema/graph-v1.0-subset.csdl. Contract: schema.h.")
        w(" */")
        w("/* clang-format off */")
        w('#include "schema.h"')
        w('#include "schema_ids.h"')
        w("")
        w("#define T(i) (&schema_types[SCHEMA_ID_##i])")
        w("#define N SCHEMA_PROP_NULLABLE")
        w("#define C SCHEMA_PROP_COLLECTION")
        w("#define V SCHEMA_PROP_NAVIGATION")
        w("#define CT SCHEMA_PROP_CONTAINS_TARGET")
        w("#define K SCHEMA_PROP_KEY")
        short = {"SCHEMA_PROP_NULLABLE": "N", "SCHEMA_PROP_COLLECTION": "C",
                 "SCHEMA_PROP_NAVIGATION": "V", "SCHEMA_PROP_CONTAINS_TARGET": "CT",
                 "SCHEMA_PROP_KEY": "K"}
        nprops = 0
        for n in self.names:
            el = csdl.types[n][0]
            base = self.base(n)
            w("")
            w("/* %s%s */" % (n, " : " + base if base else ""))
            if tag(el) == "EnumType":
                mem = self.members(n)
                w("static const struct schema_enum_member m_%s[] = {" % c_ident(n))
                for name, value in mem:
                    w("\t{%s, %dLL}," % (c_str(name), value))
                w("};")
                order = sorted(range(len(mem)), key=lambda i: (fold(mem[i][0]), mem[i][0]))
                w("static const uint16_t mi_%s[] = {%s};"
                  % (c_ident(n), ", ".join(str(i) for i in order)))
                continue
            own = self.props[n]
            nprops += len(own)
            if own:
                w("static const struct schema_property p_%s[] = {" % c_ident(n))
                for p in own:
                    flags = " | ".join(short[f] for f in p["flags"]) or "0"
                    w("\t{%s, %s, %s, T(%s), %s, %s}," % (
                        c_str(p["name"]), c_str(p["type"]), self.tref(p["type"]),
                        c_ident(n), p["edm"], flags))
                w("};")
        # The flattened lists point into base types' tables: all of those first.
        for n in self.names:
            allp = self.all_props(n)  # empty for enums
            if allp:
                w("")
                w("/* %s: inherited and declared properties */" % n)
                w("static const struct schema_property *const a_%s[] = {" % c_ident(n))
                for p in allp:
                    w("\t%s," % self.pref(p))
                w("};")
                order = sorted(range(len(allp)),
                               key=lambda i: (fold(allp[i]["name"]), allp[i]["name"]))
                w("static const uint16_t ai_%s[] = {%s};"
                  % (c_ident(n), ", ".join(str(i) for i in order)))
        w("")
        w("const struct schema_type schema_types[%d] = {" % len(self.names))
        for n in self.names:
            el, ns = csdl.types[n]
            k = tag(el)
            kind = {"EntityType": "SCHEMA_KIND_ENTITY", "ComplexType": "SCHEMA_KIND_COMPLEX",
                    "EnumType": "SCHEMA_KIND_ENUM"}[k]
            flags = []
            if el.get("Abstract") == "true":
                flags.append("SCHEMA_TYPE_ABSTRACT")
            if el.get("OpenType") == "true":
                flags.append("SCHEMA_TYPE_OPEN")
            if el.get("IsFlags") == "true":
                flags.append("SCHEMA_TYPE_FLAGS")
            flags = " | ".join(flags) or "0"
            base = self.base(n)
            if base and base not in self.index:
                raise SchemaError("base type %s of %s not emitted" % (base, n))
            ci = c_ident(n)
            if k == "EnumType":
                under = csdl.qualify(el.get("UnderlyingType", "Edm.Int32"))
                nm = len(self.members(n))
                w("\t{%s, %s, NULL, %s, %s, %s, NULL, 0, NULL, 0, NULL, NULL, m_%s, mi_%s, %d},"
                  % (c_str(n), c_str(el.get("Name")), kind, flags, PRIMITIVES[under],
                     ci, ci, nm))
                continue
            allp = self.all_props(n)
            keyp = [i for i, p in enumerate(allp) if "SCHEMA_PROP_KEY" in p["flags"]]
            if len(keyp) > 1:
                raise SchemaError("%s has a composite key" % n)
            own = self.props[n]
            w("\t{%s, %s, %s, %s, %s, SCHEMA_EDM_NONE, %s, %d, %s, %d, %s, %s, NULL, NULL, 0},"
              % (c_str(n), c_str(el.get("Name")), self.tref(base) if base else "NULL", kind,
                 flags, ("p_" + ci) if own else "NULL", len(own),
                 ("a_" + ci) if allp else "NULL", len(allp),
                 ("ai_" + ci) if allp else "NULL",
                 self.pref(allp[keyp[0]]) if keyp else "NULL"))
        w("};")
        w("const size_t schema_ntypes = %d;" % len(self.names))
        srcs = sorted(SOURCES, key=lambda s: (fold(s), s))
        for s in srcs:
            el = csdl.source(s)
            t = csdl.qualify(el.get("EntityType") or el.get("Type"))
            bs = self.bindings(t, el)
            if bs:
                w("")
                w("static const struct schema_binding b_%s[] = {" % c_ident(s))
                for path, target in bs:
                    w("\t{%s, %s}," % (c_str(path), c_str(target)))
                w("};")
        w("")
        w("const struct schema_source schema_sources[%d] = {" % len(srcs))
        for s in srcs:
            el = csdl.source(s)
            t = csdl.qualify(el.get("EntityType") or el.get("Type"))
            kind = "SCHEMA_ENTITY_SET" if tag(el) == "EntitySet" else "SCHEMA_SINGLETON"
            bs = self.bindings(t, el)
            w("\t{%s, %s, %s, %s, %d}," % (c_str(s), kind, self.tref(t),
                                           ("b_" + c_ident(s)) if bs else "NULL", len(bs)))
        w("};")
        w("const size_t schema_nsources = %d;" % len(srcs))
        self.nprops = nprops
        return "\n".join(o) + "\n"

    def ids(self, commit):
        """schema_ids.h: each type's index in schema_types[], for static initializers."""
        o = []
        w = o.append
        w("/*")
        w(" * state/schema/schema_ids.h - GENERATED by state/schema/gen_schema.py; do not edit.")
        w(" * Source: Microsoft Graph v1.0 CSDL, msgraph-metadata commit %s." % commit)
        w(" * The index of every type in schema_types[] (schema.h), so that a table")
        w(" * elsewhere can point at a type in a static initializer:")
        w(" *	const struct schema_type *t = SCHEMA_TYPE(user);")
        w(" * A type that is not emitted is a compile error, not a NULL at run time.")
        w(" */")
        w("/* clang-format off */")
        w("#ifndef GRAPHMOCK_STATE_SCHEMA_SCHEMA_IDS_H")
        w("#define GRAPHMOCK_STATE_SCHEMA_SCHEMA_IDS_H")
        w("")
        w('#include "schema.h"')
        w("")
        w("enum schema_type_id {")
        for i, n in enumerate(self.names):
            w("\tSCHEMA_ID_%s = %d," % (c_ident(n), i))
        w("\tSCHEMA_ID_COUNT = %d," % len(self.names))
        w("};")
        w("")
        w("/* SCHEMA_TYPE(user): the microsoft.graph.user table (borrowed, static). */")
        w("#define SCHEMA_TYPE(short_name) (&schema_types[SCHEMA_ID_microsoft_graph_##short_name])")
        w("")
        w("#endif")
        return "\n".join(o) + "\n"

    def annotates(self, target):
        """Does an <Annotations Target> name an emitted type or source?"""
        first = target.split("/")
        head = self.csdl.qualify(first[0]) if "." in first[0] else first[0]
        if head in self.index:
            return True
        container = DEFAULT_NS + "." + self.csdl.container.get("Name")
        return head == container and len(first) > 1 and first[1] in SOURCES

    def subset(self, commit):
        """The CSDL elements of the emitted types and sources, in document order."""
        root = ET.Element("{%s}Edmx" % EDMX, {"Version": self.csdl.root.get("Version")})
        ds = ET.SubElement(root, "{%s}DataServices" % EDMX)
        wanted = sorted(self.names, key=lambda n: self.csdl.order[n])
        for ns, schema in self.csdl.schemas:
            # Every schema stays, if empty, so that its alias still resolves.
            mine = [self.csdl.types[n][0] for n in wanted if self.csdl.types[n][1] == ns]
            attrs = {"Namespace": ns}
            if schema.get("Alias"):
                attrs["Alias"] = schema.get("Alias")
            out = ET.SubElement(ds, "{%s}Schema" % EDM, attrs)
            out.extend(mine)
            if ns == DEFAULT_NS:
                cont = ET.SubElement(out, "{%s}EntityContainer" % EDM,
                                     {"Name": self.csdl.container.get("Name")})
                cont.extend(el for el in self.csdl.container
                            if tag(el) in ("EntitySet", "Singleton")
                            and el.get("Name") in SOURCES)
            # Out-of-line annotations of these types and sources (capabilities
            # such as ExpandRestrictions and ChangeTracking): not in the C
            # tables, kept for whoever needs them next.
            out.extend(a for a in schema.findall("{%s}Annotations" % EDM)
                       if self.annotates(a.get("Target")))
        ET.register_namespace("edmx", EDMX)
        ET.register_namespace("", EDM)
        ET.indent(root, space="  ")
        head = ('<?xml version="1.0" encoding="utf-8"?>\n'
                "<!-- A subset of Microsoft Graph's v1.0 CSDL, microsoftgraph/msgraph-metadata\n"
                "     schemas/v1.0-Prod.csdl commit %s (MIT: LICENSE-graph-csdl): the types\n"
                "     state/schema/gen_schema.py emits. Written by that script; do not edit. -->\n"
                % commit)
        return head + ET.tostring(root, encoding="unicode") + "\n"


def source_commit(path, text):
    m = re.search(r"<!--.*?schemas/v1\.0-Prod\.csdl commit ([0-9a-f]{7,40})", text, re.S)
    if m:
        return m.group(1)
    readme = os.path.join(os.path.dirname(os.path.abspath(path)), "README.md")
    if os.path.exists(readme):
        with open(readme, encoding="utf-8") as f:
            m = re.search(r"\bcommit\s+([0-9a-f]{7,40})\b", f.read())
        if m:
            return m.group(1)
    raise SchemaError("cannot tell the CSDL's commit: pass --commit")


def main():
    if sys.version_info < (3, 9):  # ET.indent
        print("gen_schema: needs Python 3.9 or later", file=sys.stderr)
        return 2
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--csdl", default=os.path.join(HERE, "graph-v1.0-subset.csdl"))
    ap.add_argument("--out", default=os.path.join(HERE, "schema_gen.c"))
    ap.add_argument("--subset", default=os.path.join(HERE, "graph-v1.0-subset.csdl"))
    ap.add_argument("--ids", default=os.path.join(HERE, "schema_ids.h"))
    ap.add_argument("--commit", help="msgraph-metadata commit of the CSDL")
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 when the outputs are out of date")
    args = ap.parse_args()
    try:
        with open(args.csdl, encoding="utf-8") as f:
            text = f.read()
        commit = args.commit or source_commit(args.csdl, text)
        csdl = Csdl(text)
        em = Emitter(csdl, closure(csdl))
        outputs = {args.out: em.emit(commit), args.subset: em.subset(commit),
                   args.ids: em.ids(commit)}
    except (SchemaError, OSError, ET.ParseError) as e:
        print("gen_schema: %s" % e, file=sys.stderr)
        return 2
    stale = []
    for path, data in outputs.items():
        old = None
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                old = f.read()
        if old == data:
            continue
        stale.append(path)
        if not args.check:
            with open(path, "w", encoding="utf-8") as f:
                f.write(data)
    if args.check and stale:
        for path in stale:
            print("gen_schema: %s is out of date: run 'make schema'" % os.path.relpath(path),
                  file=sys.stderr)
        return 1
    kinds = {}
    for n in em.names:
        k = tag(em.csdl.types[n][0])
        kinds[k] = kinds.get(k, 0) + 1
    if not args.check:
        print("gen_schema: %d types (%s), %d properties, %d sources; commit %s"
              % (len(em.names), ", ".join("%d %s" % (v, k) for k, v in sorted(kinds.items())),
                 em.nprops, len(SOURCES), commit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
