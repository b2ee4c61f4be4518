#ifndef CHLOE_CLUA_SHIM_H
#define CHLOE_CLUA_SHIM_H

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

/* Lua's C API macros, as functions Swift can import. */
static inline void chloe_lua_pop(lua_State *L, int n) { lua_pop(L, n); }

#endif
