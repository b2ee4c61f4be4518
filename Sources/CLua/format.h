/*
 * string.format's fast path for what strategies format on a signal: `%s` of a string or an
 * integer, `%d`, `%f` and `%.Nf` (N 0-9), `%%`. glibc's printf is a large body of code that a
 * strategy runs once per signal; cold (the first signal of a minute, after seconds of ticks) a
 * single "%.1f" cost about 24 µs. The fixed-point conversion here is exact, the same digits
 * glibc prints: the double's exact binary value times 10^N, rounded half to even, in 128-bit
 * integers. Anything else (other conversions, flags, widths, strings that must be converted,
 * values out of the exact range) goes to Lua's own string.format unchanged, with the same
 * results and errors, except that an argument error there names the function 'string.format'
 * instead of 'format' and numbers the arguments as in a plain call, also for a method call
 * (`("%d"):format(1.5)` reports argument #2, not #1): a C function called from C has no
 * name or call form of its own.
 *
 * Included by shim.h; raises only from C (memory errors from the Lua buffer).
 */
#ifndef CHLOE_FORMAT_H
#define CHLOE_FORMAT_H

#include <lua.h>
#include <lauxlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const uint64_t chloe_powers_of_ten[10] = {
    1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull, 100000000ull, 1000000000ull,
};

/** Writes `value` in decimal at `out` (at least 20 bytes); returns the length. */
static inline int chloe_format_unsigned(char *out, uint64_t value) {
    char digits[20];
    int count = 0;
    do {
        digits[count++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    for (int i = 0; i < count; i++) out[i] = digits[count - 1 - i];
    return count;
}

/** `%lld` of `value` at `out` (at least 21 bytes); returns the length. */
static inline int chloe_format_integer(char *out, lua_Integer value) {
    if (value >= 0) return chloe_format_unsigned(out, (uint64_t)value);
    out[0] = '-';
    return 1 + chloe_format_unsigned(out + 1, 0 - (uint64_t)value);
}

/**
 * `%.*f` of `value` with `precision` (0-9) decimals at `out` (at least 32 bytes), as glibc
 * prints it. Returns the length, or 0 when `value` is not finite, is subnormal or is 2^63 or
 * more (the caller then uses snprintf).
 */
static inline int chloe_format_fixed(char *out, double value, int precision) {
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    int negative = (int)(bits >> 63);
    int biased = (int)((bits >> 52) & 0x7ff);
    uint64_t fraction = bits & ((1ull << 52) - 1);
    uint64_t scale = chloe_powers_of_ten[precision];
    uint64_t whole, decimals;
    if (biased == 0x7ff || (biased == 0 && fraction != 0)) return 0;
    if (biased == 0) {
        whole = 0;
        decimals = 0;
    } else {
        uint64_t mantissa = fraction | (1ull << 52);
        int exponent = biased - 1075;  /* |value| = mantissa * 2^exponent */
        if (exponent >= 0) {
            if (exponent > 10) return 0;
            whole = mantissa << exponent;
            decimals = 0;
        } else {
            int shift = -exponent;
            unsigned __int128 scaled = (unsigned __int128)mantissa * scale;  /* < 2^83 */
            unsigned __int128 rounded = 0;  /* |value| < 2^-74: below half a unit of any precision */
            if (shift < 128) {
                rounded = scaled >> shift;
                unsigned __int128 rest = scaled - (rounded << shift);
                unsigned __int128 half = (unsigned __int128)1 << (shift - 1);
                if (rest > half || (rest == half && (rounded & 1))) rounded += 1;
            }
            if ((rounded >> 64) == 0) {
                /* the usual case: one 64-bit division, not libgcc's 128-bit routines */
                whole = (uint64_t)rounded / scale;
                decimals = (uint64_t)rounded % scale;
            } else {
                whole = (uint64_t)(rounded / scale);
                decimals = (uint64_t)(rounded % scale);
            }
        }
    }
    int length = 0;
    if (negative) out[length++] = '-';
    length += chloe_format_unsigned(out + length, whole);
    if (precision > 0) {
        out[length++] = '.';
        for (int i = precision - 1; i >= 0; i--) {
            out[length + i] = (char)('0' + decimals % 10);
            decimals /= 10;
        }
        length += precision;
    }
    return length;
}

/**
 * Reads the conversion after a '%' at `p` (before `end`): `%`, `d`, `s`, `f`, or `.Nf` (as
 * `f`, with `*precision` N; 6 otherwise). Returns where the text goes on, or NULL when the
 * spec is not one the fast path handles.
 */
static inline const char *chloe_format_spec(const char *p, const char *end, char *conversion, int *precision) {
    if (p == end) return NULL;
    *precision = 6;
    *conversion = *p;
    if (*p == '.') {
        if (end - p < 3 || p[1] < '0' || p[1] > '9' || p[2] != 'f') return NULL;
        *precision = p[1] - '0';
        *conversion = 'f';
        return p + 3;
    }
    return *p == '%' || *p == 'd' || *p == 's' || *p == 'f' ? p + 1 : NULL;
}

/**
 * Whether string.format(...) with the arguments on the stack takes the fast path: every
 * conversion is one it handles, with an argument of the right kind.
 */
static inline int chloe_format_is_fast(lua_State *L, const char *format, size_t length) {
    int top = lua_gettop(L), argument = 1;
    const char *end = format + length, *p = format;
    while ((p = memchr(p, '%', (size_t)(end - p))) != NULL) {
        char conversion;
        int precision;
        p = chloe_format_spec(p + 1, end, &conversion, &precision);
        if (p == NULL) return 0;
        if (conversion == '%') continue;
        if (++argument > top) return 0;
        int type = lua_type(L, argument);
        switch (conversion) {
        case 'd': {
            int exact = 0;
            if (type != LUA_TNUMBER) return 0;
            (void)lua_tointegerx(L, argument, &exact);
            if (!exact) return 0;
            break;
        }
        case 's':
            if (type == LUA_TSTRING) {
                /* a __tostring on the string metatable would be called by the original */
                if (luaL_getmetafield(L, argument, "__tostring") != LUA_TNIL) {
                    lua_pop(L, 1);
                    return 0;
                }
            } else if (!(type == LUA_TNUMBER && lua_isinteger(L, argument))) {
                return 0;
            }
            break;
        default:  /* 'f' */
            if (type != LUA_TNUMBER) return 0;
            break;
        }
    }
    return 1;
}

/** string.format, upvalue 1 the original (see the top of this file). */
static inline int chloe_sandbox_format(lua_State *L) {
    size_t length = 0;
    const char *format = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &length) : NULL;
    if (format == NULL || !chloe_format_is_fast(L, format, length)) {
        int count = lua_gettop(L);
        lua_pushvalue(L, lua_upvalueindex(1));
        lua_insert(L, 1);
        lua_call(L, count, 1);
        return 1;
    }
    const char *end = format + length, *p = format;
    int argument = 1;
    luaL_Buffer buffer;
    luaL_buffinit(L, &buffer);
    while (p < end) {
        const char *percent = memchr(p, '%', (size_t)(end - p));
        if (percent == NULL) {
            luaL_addlstring(&buffer, p, (size_t)(end - p));
            break;
        }
        luaL_addlstring(&buffer, p, (size_t)(percent - p));
        char conversion;
        int precision;
        p = chloe_format_spec(percent + 1, end, &conversion, &precision);  /* checked above */
        if (conversion == '%') {
            luaL_addchar(&buffer, '%');
            continue;
        }
        argument++;
        char item[32];
        int written;
        if (conversion == 's' && lua_type(L, argument) == LUA_TSTRING) {
            size_t size = 0;
            const char *text = lua_tolstring(L, argument, &size);
            luaL_addlstring(&buffer, text, size);
        } else if (conversion == 'd' || conversion == 's') {
            written = chloe_format_integer(item, lua_tointegerx(L, argument, NULL));
            luaL_addlstring(&buffer, item, (size_t)written);
        } else {
            double value = (double)lua_tonumber(L, argument);
            written = chloe_format_fixed(item, value, precision);
            if (written > 0) {
                luaL_addlstring(&buffer, item, (size_t)written);
            } else {
                /* room for the longest %.9f: 309 digits, sign, point, decimals */
                char *room = luaL_prepbuffsize(&buffer, 400);
                written = snprintf(room, 400, "%.*f", precision, value);
                luaL_addsize(&buffer, (size_t)written);
            }
        }
    }
    luaL_pushresult(&buffer);
    return 1;
}

#endif
