/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The Varlink interface definition language (https://varlink.org/Interface-Definition): a parser that
 * keeps the text verbatim for GetInterfaceDescription, records which members carry a doc comment,
 * and validates JSON parameters against the declared types. Pure: no I/O, no logging. */

#include <stdarg.h>
#include <stdio.h>

#include "varlink-protocol.h"

/* Nesting of anonymous structs, arrays, maps and optionals in one declaration; bounds the parser's
 * recursion on hostile input. */
#define IDL_NESTING_MAX 64u

typedef enum IdlKind {
        IDL_BOOL,
        IDL_INT,
        IDL_FLOAT,
        IDL_STRING,
        IDL_OBJECT,
        IDL_NAMED,
        IDL_STRUCT,
        IDL_ENUM,
        IDL_ARRAY,
        IDL_MAP,
        _IDL_KIND_MAX,
        _IDL_KIND_INVALID = -EINVAL,
} IdlKind;

typedef enum IdlMemberKind {
        IDL_MEMBER_TYPE,
        IDL_MEMBER_METHOD,
        IDL_MEMBER_ERROR,
        _IDL_MEMBER_KIND_MAX,
        _IDL_MEMBER_KIND_INVALID = -EINVAL,
} IdlMemberKind;

typedef struct IdlType IdlType;
typedef struct IdlMember IdlMember;

typedef struct IdlField {
        char *name;
        IdlType *type;
        unsigned line;
        bool documented;
} IdlField;

struct IdlType {
        IdlKind kind;
        bool optional;
        unsigned line;
        char *name;               /* IDL_NAMED */
        const IdlMember *target;  /* IDL_NAMED, resolved once the whole file is read */
        IdlType *element;         /* IDL_ARRAY, IDL_MAP */
        IdlField *fields;         /* IDL_STRUCT (or enum values, type NULL) */
        size_t n_fields;
};

struct IdlMember {
        IdlMemberKind kind;
        char *name;
        unsigned line;
        bool documented;
        IdlType *type;    /* the type's definition, the error's fields, the method's input */
        IdlType *output;  /* IDL_MEMBER_METHOD */
};

struct VarlinkIdl {
        char *text;
        char *name;
        IdlMember *members;
        size_t n_members;
};

static const char *const member_kind_names[_IDL_MEMBER_KIND_MAX] = {
        [IDL_MEMBER_TYPE] = "type",
        [IDL_MEMBER_METHOD] = "method",
        [IDL_MEMBER_ERROR] = "error",
};

static IdlType *idl_type_free(IdlType *t) {
        if (!t)
                return NULL;
        for (size_t i = 0; i < t->n_fields; i++) {
                free(t->fields[i].name);
                idl_type_free(t->fields[i].type);
        }
        free(t->fields);
        idl_type_free(t->element);
        free(t->name);
        free(t);
        return NULL;
}
DEFINE_POINTER_CLEANUP(IdlType, idl_type_free)

VarlinkIdl *varlink_idl_free(VarlinkIdl *idl) {
        if (!idl)
                return NULL;
        for (size_t i = 0; i < idl->n_members; i++) {
                free(idl->members[i].name);
                idl_type_free(idl->members[i].type);
                idl_type_free(idl->members[i].output);
        }
        free(idl->members);
        free(idl->name);
        free(idl->text);
        free(idl);
        return NULL;
}

/* ---- Parser ---- */

typedef struct IdlParser {
        const char *text;
        const char *p;
        unsigned line;
        bool documented;   /* a comment line ends directly above the next token */
        unsigned depth;
        char *error;
} IdlParser;

_printf_(3, 0)
static int parser_failv(IdlParser *ps, unsigned line, const char *fmt, va_list ap) {
        _cleanup_free_ char *msg = NULL;

        if (ps->error)  /* the innermost failure is the precise one */
                return -EINVAL;
        if (vasprintf(&msg, fmt, ap) < 0)
                return -ENOMEM;
        if (asprintf(&ps->error, "line %u: %s", line, msg) < 0) {
                ps->error = NULL;
                return -ENOMEM;
        }
        return -EINVAL;
}

_printf_(2, 3)
static int parser_fail(IdlParser *ps, const char *fmt, ...) {
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = parser_failv(ps, ps->line, fmt, ap);
        va_end(ap);
        return r;
}

_printf_(3, 4)
static int parser_fail_at(IdlParser *ps, unsigned line, const char *fmt, ...) {
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = parser_failv(ps, line, fmt, ap);
        va_end(ap);
        return r;
}

static bool comment_starts_line(const IdlParser *ps, const char *hash) {
        for (const char *q = hash; q > ps->text; q--) {
                char c = q[-1];

                if (c == '\n')
                        return true;
                if (c != ' ' && c != '\t')
                        return false;
        }
        return true;
}

/* Skips blanks and comments. A token counts as documented when a comment that has its own line ends
 * on the line just above it; a trailing comment after a previous token does not count. */
static void parser_skip(IdlParser *ps) {
        const char *start = ps->p;
        unsigned comment_line = 0;

        for (;;) {
                char c = *ps->p;

                if (c == '\n') {
                        ps->line++;
                        ps->p++;
                } else if (c == ' ' || c == '\t' || c == '\r')
                        ps->p++;
                else if (c == '#') {
                        comment_line = comment_starts_line(ps, ps->p) ? ps->line : 0;
                        while (*ps->p && *ps->p != '\n')
                                ps->p++;
                } else
                        break;
        }

        if (ps->p != start)
                ps->documented = comment_line > 0 && comment_line + 1 == ps->line;
}

static char parser_peek(IdlParser *ps) {
        parser_skip(ps);
        return *ps->p;
}

static bool parser_accept(IdlParser *ps, const char *literal) {
        size_t n = strlen(literal);

        parser_skip(ps);
        if (!strneq(ps->p, literal, n))
                return false;
        ps->p += n;
        return true;
}

static int parser_expect(IdlParser *ps, const char *literal) {
        if (!parser_accept(ps, literal))
                return parser_fail(ps, "expected '%s'", literal);
        return 0;
}

static bool is_word_char(char c, bool dotted) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                (dotted && (c == '.' || c == '-'));
}

/* Reads a word; NULL (and no error) if none starts here. */
static int parser_word(IdlParser *ps, bool dotted, char **ret) {
        const char *start;
        char *w;

        parser_skip(ps);
        start = ps->p;
        while (is_word_char(*ps->p, dotted))
                ps->p++;
        if (ps->p == start) {
                *ret = NULL;
                return 0;
        }
        w = strndup(start, ps->p - start);
        if (!w)
                return -ENOMEM;
        *ret = w;
        return 1;
}

static bool is_alnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_alpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Reverse-domain name: at least two dot-separated labels of letters, digits and inner dashes; the first
 * label starts with a letter. */
static bool interface_name_is_valid(const char *s) {
        size_t labels = 0;

        if (!is_alpha(s[0]))
                return false;
        for (const char *p = s;;) {
                size_t n = strcspn(p, ".");

                if (n == 0 || !is_alnum(p[0]) || !is_alnum(p[n - 1]))
                        return false;
                for (size_t i = 0; i < n; i++)
                        if (!is_alnum(p[i]) && p[i] != '-')
                                return false;
                labels++;
                if (p[n] == '\0')
                        break;
                p += n + 1;
        }
        return labels >= 2;
}

static bool member_name_is_valid(const char *s) {
        if (!(s[0] >= 'A' && s[0] <= 'Z'))
                return false;
        for (const char *p = s; *p; p++)
                if (!is_alnum(*p))
                        return false;
        return true;
}

/* Field names: a letter, then letters and digits with single inner underscores. */
static bool field_name_is_valid(const char *s) {
        if (!is_alpha(s[0]))
                return false;
        for (const char *p = s + 1; *p; p++) {
                if (*p == '_') {
                        if (p[1] == '\0' || p[1] == '_')
                                return false;
                } else if (!is_alnum(*p))
                        return false;
        }
        return true;
}

static int parser_type(IdlParser *ps, IdlType **ret);

/* The body of "( … )" after the opening parenthesis: fields with types make a struct, bare names an
 * enum; "()" is an empty struct. */
static int parser_struct_or_enum(IdlParser *ps, IdlType **ret) {
        _cleanup_(idl_type_freep) IdlType *t = NULL;
        int r;

        t = calloc(1, sizeof(*t));
        if (!t)
                return -ENOMEM;
        t->kind = IDL_STRUCT;
        t->line = ps->line;

        if (parser_accept(ps, ")")) {
                *ret = TAKE_PTR(t);
                return 0;
        }

        for (;;) {
                _cleanup_free_ char *name = NULL;
                IdlField *fields, *f;
                bool documented;
                unsigned line;
                IdlKind kind;

                parser_skip(ps);
                documented = ps->documented;
                line = ps->line;
                r = parser_word(ps, false, &name);
                if (r < 0)
                        return r;
                if (r == 0)
                        return parser_fail(ps, "expected a field name");
                if (!field_name_is_valid(name))
                        return parser_fail(ps, "invalid field name '%s'", name);
                for (size_t i = 0; i < t->n_fields; i++)
                        if (streq(t->fields[i].name, name))
                                return parser_fail(ps, "duplicate field '%s'", name);

                kind = parser_peek(ps) == ':' ? IDL_STRUCT : IDL_ENUM;
                if (t->n_fields == 0)
                        t->kind = kind;
                else if (t->kind != kind)
                        return parser_fail_at(ps, line, "'%s': enum values and typed fields cannot be mixed", name);

                fields = reallocarray(t->fields, t->n_fields + 1, sizeof(IdlField));
                if (!fields)
                        return -ENOMEM;
                t->fields = fields;
                f = &t->fields[t->n_fields++];
                *f = (IdlField) {
                        .name = TAKE_PTR(name),
                        .line = line,
                        .documented = documented,
                };

                if (kind == IDL_STRUCT) {
                        ps->p++;  /* ':' */
                        r = parser_type(ps, &f->type);
                        if (r < 0)
                                return r;
                }

                if (parser_accept(ps, ")"))
                        break;
                if (!parser_accept(ps, ","))
                        return parser_fail(ps, "expected ',' or ')'");
        }

        *ret = TAKE_PTR(t);
        return 0;
}

static int parser_type(IdlParser *ps, IdlType **ret) {
        _cleanup_(idl_type_freep) IdlType *t = NULL;
        _cleanup_free_ char *word = NULL;
        bool optional;
        int r;

        if (ps->depth >= IDL_NESTING_MAX)
                return parser_fail(ps, "types nested too deeply");

        optional = parser_accept(ps, "?");
        if (optional && parser_peek(ps) == '?')
                return parser_fail(ps, "a type cannot be optional twice");

        if (parser_accept(ps, "(")) {
                ps->depth++;
                r = parser_struct_or_enum(ps, &t);
                ps->depth--;
                if (r < 0)
                        return r;
        } else if (parser_accept(ps, "[")) {
                IdlKind kind;

                if (parser_accept(ps, "]"))
                        kind = IDL_ARRAY;
                else if (parser_accept(ps, "string") && parser_accept(ps, "]"))
                        kind = IDL_MAP;
                else
                        return parser_fail(ps, "expected '[]' or '[string]'");

                t = calloc(1, sizeof(*t));
                if (!t)
                        return -ENOMEM;
                t->kind = kind;
                t->line = ps->line;
                ps->depth++;
                r = parser_type(ps, &t->element);
                ps->depth--;
                if (r < 0)
                        return r;
        } else {
                static const struct {
                        const char *name;
                        IdlKind kind;
                } builtin[] = {
                        { "bool",   IDL_BOOL   },
                        { "int",    IDL_INT    },
                        { "float",  IDL_FLOAT  },
                        { "string", IDL_STRING },
                        { "object", IDL_OBJECT },
                };

                r = parser_word(ps, false, &word);
                if (r < 0)
                        return r;
                if (r == 0)
                        return parser_fail(ps, "expected a type");

                t = calloc(1, sizeof(*t));
                if (!t)
                        return -ENOMEM;
                t->line = ps->line;
                t->kind = IDL_NAMED;
                for (size_t i = 0; i < ELEMENTSOF(builtin); i++)
                        if (streq(builtin[i].name, word))
                                t->kind = builtin[i].kind;
                if (t->kind == IDL_NAMED) {
                        if (!member_name_is_valid(word))
                                return parser_fail(ps, "unknown type '%s'", word);
                        t->name = TAKE_PTR(word);
                }
        }

        t->optional = optional;
        *ret = TAKE_PTR(t);
        return 0;
}

static int parser_fields(IdlParser *ps, const char *what, IdlType **ret) {
        _cleanup_(idl_type_freep) IdlType *t = NULL;
        int r;

        r = parser_expect(ps, "(");
        if (r < 0)
                return r;
        r = parser_struct_or_enum(ps, &t);
        if (r < 0)
                return r;
        if (t->kind != IDL_STRUCT)
                return parser_fail(ps, "%s must be typed fields, not enum values", what);
        *ret = TAKE_PTR(t);
        return 0;
}

static IdlMember *idl_find_member(const VarlinkIdl *idl, IdlMemberKind kind, const char *name) {
        for (size_t i = 0; i < idl->n_members; i++)
                if (idl->members[i].kind == kind && streq(idl->members[i].name, name))
                        return &idl->members[i];
        return NULL;
}

static int parser_member(IdlParser *ps, VarlinkIdl *idl, IdlMemberKind kind, bool documented, unsigned line) {
        _cleanup_(idl_type_freep) IdlType *type = NULL, *output = NULL;
        _cleanup_free_ char *name = NULL;
        IdlMember *members;
        int r;

        r = parser_word(ps, false, &name);
        if (r < 0)
                return r;
        if (r == 0 || !member_name_is_valid(name))
                return parser_fail(ps, "expected a %s name starting with a capital letter", member_kind_names[kind]);
        for (size_t i = 0; i < idl->n_members; i++)
                if (streq(idl->members[i].name, name))
                        return parser_fail(ps, "'%s' is already defined on line %u", name, idl->members[i].line);

        switch (kind) {
        case IDL_MEMBER_TYPE:
                r = parser_expect(ps, "(");
                if (r < 0)
                        return r;
                r = parser_struct_or_enum(ps, &type);
                break;
        case IDL_MEMBER_ERROR:
                r = parser_fields(ps, "error parameters", &type);
                break;
        case IDL_MEMBER_METHOD:
                r = parser_fields(ps, "method input", &type);
                if (r < 0)
                        return r;
                r = parser_expect(ps, "->");
                if (r < 0)
                        return r;
                r = parser_fields(ps, "method output", &output);
                break;
        case _IDL_MEMBER_KIND_MAX:
        case _IDL_MEMBER_KIND_INVALID:
                return -EINVAL;
        }
        if (r < 0)
                return r;

        members = reallocarray(idl->members, idl->n_members + 1, sizeof(IdlMember));
        if (!members)
                return -ENOMEM;
        idl->members = members;
        idl->members[idl->n_members++] = (IdlMember) {
                .kind = kind,
                .name = TAKE_PTR(name),
                .line = line,
                .documented = documented,
                .type = TAKE_PTR(type),
                .output = TAKE_PTR(output),
        };
        return 0;
}

/* What idl_walk() calls on each type it reaches: field is the struct field whose type t is (NULL
 * for a member's own type and an element's), path its dotted name below the walk's root (NULL
 * when the walk was started without one). */
typedef int (*IdlVisit)(IdlType *t, const IdlField *field, const char *path, void *userdata);

/* Calls visit on t and on every type within it, depth first: the types of a struct's fields and the
 * element of an array or a map (enum values have no type). The one place that knows which kinds
 * hold other types. */
static int idl_walk(IdlType *t, const IdlField *field, const char *path, IdlVisit visit, void *userdata) {
        int r;

        if (!t)
                return 0;
        r = visit(t, field, path, userdata);
        if (r < 0)
                return r;

        switch (t->kind) {
        case IDL_STRUCT:
                for (size_t i = 0; i < t->n_fields; i++) {
                        const IdlField *f = &t->fields[i];
                        _cleanup_free_ char *name = NULL;

                        if (path && asprintf(&name, "%s.%s", path, f->name) < 0)
                                return -ENOMEM;
                        r = idl_walk(f->type, f, name, visit, userdata);
                        if (r < 0)
                                return r;
                }
                return 0;
        case IDL_ARRAY:
        case IDL_MAP:
                return idl_walk(t->element, NULL, path, visit, userdata);
        case IDL_BOOL:
        case IDL_INT:
        case IDL_FLOAT:
        case IDL_STRING:
        case IDL_OBJECT:
        case IDL_NAMED:
        case IDL_ENUM:
                return 0;
        case _IDL_KIND_MAX:
        case _IDL_KIND_INVALID:
                break;
        }
        return -EINVAL;
}

typedef struct IdlResolve {
        VarlinkIdl *idl;
        IdlParser *ps;
} IdlResolve;

/* Binds a named type reference to its definition, so validation needs no lookups. */
static int idl_resolve_visit(IdlType *t, const IdlField *field, const char *path, void *userdata) {
        IdlResolve *x = userdata;

        if (t->kind != IDL_NAMED)
                return 0;
        t->target = idl_find_member(x->idl, IDL_MEMBER_TYPE, t->name);
        if (!t->target)
                return parser_fail_at(x->ps, t->line, "unknown type '%s'", t->name);
        return 0;
}

int varlink_idl_parse(const char *text, VarlinkIdl **ret, char **ret_error) {
        _cleanup_(varlink_idl_freep) VarlinkIdl *idl = NULL;
        IdlParser ps = {
                .text = text,
                .p = text,
                .line = 1,
        };
        int r;

        if (!text)
                return -EINVAL;

        idl = calloc(1, sizeof(*idl));
        if (!idl)
                return -ENOMEM;
        idl->text = strdup(text);
        if (!idl->text)
                return -ENOMEM;

        if (!parser_accept(&ps, "interface") || is_word_char(*ps.p, true)) {
                r = parser_fail(&ps, "expected 'interface' and the interface name");
                goto fail;
        }
        r = parser_word(&ps, true, &idl->name);
        if (r < 0)
                goto fail;
        if (r == 0 || !interface_name_is_valid(idl->name)) {
                r = parser_fail(&ps, "invalid interface name '%s'", strempty(idl->name));
                goto fail;
        }

        for (;;) {
                _cleanup_free_ char *keyword = NULL;
                IdlMemberKind kind = _IDL_MEMBER_KIND_INVALID;
                bool documented;
                unsigned line;

                if (parser_peek(&ps) == '\0')
                        break;
                documented = ps.documented;
                line = ps.line;

                r = parser_word(&ps, false, &keyword);
                if (r < 0)
                        goto fail;
                for (IdlMemberKind k = 0; r > 0 && k < _IDL_MEMBER_KIND_MAX; k++)
                        if (streq(member_kind_names[k], keyword))
                                kind = k;
                if (kind < 0) {
                        r = parser_fail(&ps, "expected 'type', 'method' or 'error'");
                        goto fail;
                }

                r = parser_member(&ps, idl, kind, documented, line);
                if (r < 0)
                        goto fail;
        }

        for (size_t i = 0; i < idl->n_members; i++) {
                IdlResolve x = { .idl = idl, .ps = &ps };

                r = idl_walk(idl->members[i].type, NULL, NULL, idl_resolve_visit, &x);
                if (r >= 0)
                        r = idl_walk(idl->members[i].output, NULL, NULL, idl_resolve_visit, &x);
                if (r < 0)
                        goto fail;
        }

        *ret = TAKE_PTR(idl);
        return 0;

fail:
        if (ret_error && ps.error)
                *ret_error = TAKE_PTR(ps.error);
        free(ps.error);
        return r;
}

const char *varlink_idl_name(const VarlinkIdl *idl) {
        return idl->name;
}

const char *varlink_idl_text(const VarlinkIdl *idl) {
        return idl->text;
}

bool varlink_idl_has_method(const VarlinkIdl *idl, const char *method) {
        return method && idl_find_member(idl, IDL_MEMBER_METHOD, method);
}

bool varlink_idl_has_error(const VarlinkIdl *idl, const char *error) {
        return error && idl_find_member(idl, IDL_MEMBER_ERROR, error);
}

size_t varlink_idl_n_methods(const VarlinkIdl *idl) {
        size_t n = 0;

        for (size_t i = 0; i < idl->n_members; i++)
                if (idl->members[i].kind == IDL_MEMBER_METHOD)
                        n++;
        return n;
}

const char *varlink_idl_method_name(const VarlinkIdl *idl, size_t i) {
        for (size_t j = 0; j < idl->n_members; j++)
                if (idl->members[j].kind == IDL_MEMBER_METHOD && i-- == 0)
                        return idl->members[j].name;
        return NULL;
}

/* ---- Validation ---- */

static int validate_struct(const IdlType *t, json_t *object, bool top, bool input, char **ret_path);

/* Whether a string (valid UTF-8, as jansson keeps it, possibly with NUL bytes) holds a code point
 * that unichar_is_control() names. Every string of a request is one line of text as the caller
 * typed it, so this is checked here, once for all methods, rather than by each handler. */
static bool json_string_has_control(json_t *v) {
        const unsigned char *p = (const unsigned char *) json_string_value(v);
        size_t n = json_string_length(v);

        for (size_t i = 0; i < n;) {
                uint32_t c = p[i];
                size_t len = 1;

                if (c >= 0xF0) {
                        c &= 0x07;
                        len = 4;
                } else if (c >= 0xE0) {
                        c &= 0x0F;
                        len = 3;
                } else if (c >= 0xC0) {
                        c &= 0x1F;
                        len = 2;
                }
                if (len > n - i)
                        return true; /* cannot happen with jansson's strings; refuse rather than read past */
                for (size_t k = 1; k < len; k++)
                        c = (c << 6) | (p[i + k] & 0x3F);
                if (unichar_is_control(c))
                        return true;
                i += len;
        }
        return false;
}

static int validate_value(const IdlType *t, json_t *v, bool input, char **ret_path);

/* An element of an array (key NULL, at index) or a map (at key): on -EINVAL, *ret_path is where,
 * "[3]…" or ".key…". */
static int validate_element(const IdlType *element, json_t *e, const char *key, size_t index, bool input,
                            char **ret_path) {
        _cleanup_free_ char *sub = NULL;
        int r;

        r = validate_value(element, e, input, &sub);
        if (r == -EINVAL &&
            (key ? asprintf(ret_path, ".%s%s", key, sub) : asprintf(ret_path, "[%zu]%s", index, sub)) < 0)
                return -ENOMEM;
        return r;
}

/* On failure, *ret_path is where inside v the problem is: "" for v itself, ".field" or "[3].field". */
static int validate_value(const IdlType *t, json_t *v, bool input, char **ret_path) {
        int r;

        if (json_is_null(v)) {
                if (t->optional)
                        return 0;
                goto invalid;
        }

        switch (t->kind) {
        case IDL_BOOL:
                if (!json_is_boolean(v))
                        goto invalid;
                return 0;
        case IDL_INT:
                if (!json_is_integer(v))
                        goto invalid;
                return 0;
        case IDL_FLOAT:
                if (!json_is_number(v))
                        goto invalid;
                return 0;
        case IDL_STRING:
                if (!json_is_string(v))
                        goto invalid;
                /* Replies may carry what an older dutyd stored; dutyctl escapes it when printing. */
                if (input && json_string_has_control(v))
                        goto invalid;
                return 0;
        case IDL_OBJECT:
                if (!json_is_object(v))
                        goto invalid;
                return 0;
        case IDL_NAMED:
                return validate_value(t->target->type, v, input, ret_path);
        case IDL_STRUCT:
                if (!json_is_object(v))
                        goto invalid;
                return validate_struct(t, v, false, input, ret_path);
        case IDL_ENUM:
                if (!json_is_string(v))
                        goto invalid;
                for (size_t i = 0; i < t->n_fields; i++)
                        if (streq(t->fields[i].name, json_string_value(v)))
                                return 0;
                goto invalid;
        case IDL_ARRAY: {
                size_t i;
                json_t *e;

                if (!json_is_array(v))
                        goto invalid;
                json_array_foreach(v, i, e) {
                        r = validate_element(t->element, e, NULL, i, input, ret_path);
                        if (r < 0)
                                return r;
                }
                return 0;
        }
        case IDL_MAP: {
                const char *key;
                json_t *e;

                if (!json_is_object(v))
                        goto invalid;
                json_object_foreach(v, key, e) {
                        r = validate_element(t->element, e, key, 0, input, ret_path);
                        if (r < 0)
                                return r;
                }
                return 0;
        }
        case _IDL_KIND_MAX:
        case _IDL_KIND_INVALID:
                break;
        }

invalid:
        *ret_path = strdup("");
        return *ret_path ? -EINVAL : -ENOMEM;
}

static int validate_struct(const IdlType *t, json_t *object, bool top, bool input, char **ret_path) {
        const char *prefix = top ? "" : ".";
        const char *key;
        json_t *v;
        int r;

        /* Unknown members first: a misspelt optional parameter should be named as such, not ignored. */
        json_object_foreach(object, key, v) {
                bool known = false;

                for (size_t i = 0; i < t->n_fields && !known; i++)
                        known = streq(t->fields[i].name, key);
                if (!known) {
                        if (asprintf(ret_path, "%s%s", prefix, key) < 0)
                                return -ENOMEM;
                        return -EINVAL;
                }
        }

        for (size_t i = 0; i < t->n_fields; i++) {
                const IdlField *f = &t->fields[i];
                _cleanup_free_ char *sub = NULL;

                v = json_object_get(object, f->name);
                if (!v) {
                        if (f->type->optional)
                                continue;
                        if (asprintf(ret_path, "%s%s", prefix, f->name) < 0)
                                return -ENOMEM;
                        return -EINVAL;
                }
                r = validate_value(f->type, v, input, &sub);
                if (r == -EINVAL) {
                        if (asprintf(ret_path, "%s%s%s", prefix, f->name, sub) < 0)
                                return -ENOMEM;
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

static const IdlType *idl_parameters_type(const VarlinkIdl *idl, IdlMemberKind kind, const char *name, bool output) {
        const IdlMember *m;

        if (!name)
                return NULL;
        m = idl_find_member(idl, kind, name);
        if (!m)
                return NULL;
        return output ? m->output : m->type;
}

static int validate_parameters(const IdlType *t, json_t *params, bool input, char **ret_path) {
        _cleanup_(json_decrefp) json_t *empty = NULL;
        _cleanup_free_ char *path = NULL;
        int r;

        if (!t)
                return -ENOENT;
        if (!params) {
                empty = json_object();
                if (!empty)
                        return -ENOMEM;
                params = empty;
        }
        if (!json_is_object(params)) {
                path = strdup("parameters");
                if (!path)
                        return -ENOMEM;
                r = -EINVAL;
        } else
                r = validate_struct(t, params, true, input, &path);
        if (r == -EINVAL && ret_path)
                *ret_path = TAKE_PTR(path);
        return r;
}

int varlink_idl_validate_full(const VarlinkIdl *idl, const char *method, bool output, json_t *params, char **ret_path) {
        return validate_parameters(idl_parameters_type(idl, IDL_MEMBER_METHOD, method, output), params, !output, ret_path);
}

int varlink_idl_validate_error(const VarlinkIdl *idl, const char *error, json_t *params, char **ret_path) {
        return validate_parameters(idl_parameters_type(idl, IDL_MEMBER_ERROR, error, false), params, false, ret_path);
}

/* Maps a failure path back to a string that outlives the call: the top-level field's name as the IDL
 * spells it, or the offending key of params itself. */
static const char *path_top_level(const VarlinkIdl *idl, const char *method, bool output, json_t *params, const char *path) {
        const IdlType *t = idl_parameters_type(idl, IDL_MEMBER_METHOD, method, output);
        size_t n = strcspn(path, ".[");
        const char *key;
        json_t *v;

        json_object_foreach(params, key, v)
                if (streq(key, path))
                        return key;
        for (size_t i = 0; t && i < t->n_fields; i++)
                if (strlen(t->fields[i].name) == n && strneq(t->fields[i].name, path, n))
                        return t->fields[i].name;
        return "parameters";
}

static int validate_method(const VarlinkIdl *idl, const char *method, bool output, json_t *params, const char **ret_parameter) {
        _cleanup_free_ char *path = NULL;
        int r;

        r = varlink_idl_validate_full(idl, method, output, params, &path);
        if (r == -EINVAL && ret_parameter)
                *ret_parameter = path_top_level(idl, method, output, params, path);
        return r;
}

int varlink_idl_validate_input(const VarlinkIdl *idl, const char *method, json_t *params, const char **ret_parameter) {
        return validate_method(idl, method, false, params, ret_parameter);
}

int varlink_idl_validate_output(const VarlinkIdl *idl, const char *method, json_t *params, const char **ret_parameter) {
        return validate_method(idl, method, true, params, ret_parameter);
}

/* ---- Documentation check ---- */

static int missing_append(char **list, unsigned line, const char *fmt, ...) _printf_(3, 4);
static int missing_append(char **list, unsigned line, const char *fmt, ...) {
        _cleanup_free_ char *what = NULL;
        char *n;
        va_list ap;
        int k;

        va_start(ap, fmt);
        k = vasprintf(&what, fmt, ap);
        va_end(ap);
        if (k < 0)
                return -ENOMEM;
        if (asprintf(&n, "%s%sline %u: %s", strempty(*list), *list ? "; " : "", line, what) < 0)
                return -ENOMEM;
        free(*list);
        *list = n;
        return 0;
}

/* A field without its comment, named by its path (enum values need no comment each: idl_walk()
 * does not reach them). */
static int check_visit(IdlType *t, const IdlField *field, const char *path, void *userdata) {
        if (!field || field->documented)
                return 0;
        return missing_append(userdata, field->line, "%s", path);
}

/* Walks the fields of t and of the anonymous structs within it, owner naming t. */
static int check_fields(IdlType *t, const char *owner, char **list) {
        return idl_walk(t, NULL, owner, check_visit, list);
}

int varlink_idl_check_documented(const VarlinkIdl *idl, char **ret_missing) {
        _cleanup_free_ char *list = NULL;
        int r = 0;

        for (size_t i = 0; i < idl->n_members; i++) {
                const IdlMember *m = &idl->members[i];
                _cleanup_free_ char *in = NULL, *out = NULL;

                if (!m->documented) {
                        r = missing_append(&list, m->line, "%s %s", member_kind_names[m->kind], m->name);
                        if (r < 0)
                                return r;
                }

                switch (m->kind) {
                case IDL_MEMBER_TYPE:
                case IDL_MEMBER_ERROR:
                        r = check_fields(m->type, m->name, &list);
                        break;
                case IDL_MEMBER_METHOD:
                        if (asprintf(&in, "%s(in)", m->name) < 0 || asprintf(&out, "%s(out)", m->name) < 0)
                                return -ENOMEM;
                        r = check_fields(m->type, in, &list);
                        if (r >= 0)
                                r = check_fields(m->output, out, &list);
                        break;
                case _IDL_MEMBER_KIND_MAX:
                case _IDL_MEMBER_KIND_INVALID:
                        r = -EINVAL;
                        break;
                }
                if (r < 0)
                        return r;
        }

        if (!list)
                return 0;
        if (ret_missing)
                *ret_missing = TAKE_PTR(list);
        return -EBADMSG;
}
