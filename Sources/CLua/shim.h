#ifndef CHLOE_CLUA_SHIM_H
#define CHLOE_CLUA_SHIM_H

/*
 * The C half of Chloe's Lua bridge.
 *
 * THE ONE RULE: Lua reports errors with longjmp. A longjmp across Swift frames is undefined
 * behaviour (Swift cleanups, retains and `defer`s are skipped), so Swift must never call a Lua
 * function that can raise while no protected call is active. Many innocent-looking API calls
 * raise: anything that allocates (lua_pushstring, lua_newtable, lua_setfield, luaL_ref, ...) can
 * raise a memory error, anything that may run a metamethod can raise anything.
 *
 * So this header gives Swift two kinds of functions, all prefixed `chloe_`:
 *
 *   - RAISE-FREE helpers (section 2): stack reads/pops, pushes that never allocate (numbers,
 *     booleans, nil, light userdata, registry values), type tests, hook setup. Safe anywhere
 *     (they assume the few stack slots Lua guarantees, or the caller used chloe_checkstack).
 *   - PROTECTED operations (sections 5-9): each one pushes a C function and runs it under
 *     lua_pcall, so a raised error comes back as a status code (LUA_OK, LUA_ERRRUN, LUA_ERRMEM,
 *     ...) with the error value on top of the stack — never as a longjmp.
 *
 * Swift code in the Scripting module calls only `chloe_*` functions, never `lua_*` directly.
 * Host functions exposed to Lua are C trampolines (section 8) that call a Swift
 * `@convention(c)` callback which only fills a plain C struct; the trampoline raises in C.
 *
 * Everything is `static inline` because a systemLibrary target cannot hold .c files.
 */

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include "format.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ============================================================================================
 * 1. Per-state control block: memory accounting, instruction budget, host callbacks.
 *    One per lua_State, owned by Swift, passed to Lua as the allocator's userdata (so every
 *    coroutine of the state, and the hook, can find it with lua_getallocf).
 * ============================================================================================ */

struct chloe_host_call;
struct chloe_watchdog;
struct chloe_thread_slot;

/** Swift's dispatcher for host functions: `context` identifies the Swift closure. Must not touch Lua. */
typedef void (*chloe_host_dispatch_fn)(void *context, struct chloe_host_call *call);
/** Swift's sink for the sandbox's `print`. `text` is valid only during the call. Must not touch Lua. */
typedef void (*chloe_print_fn)(void *context, const char *text, size_t length);

/*
 * Each state allocates from its own arena (section 3): small blocks from pages it owns,
 * larger ones from malloc, linked so the state can give everything back at once.
 */
#define CHLOE_ARENA_CLASSES 32       /* small blocks: 16, 32, ..., 512 bytes */
#define CHLOE_ARENA_SMALL (CHLOE_ARENA_CLASSES * 16)
#define CHLOE_ARENA_PAGE 16384

typedef struct chloe_large_block {
    struct chloe_large_block *prev, *next;
} chloe_large_block;

typedef struct chloe_arena {
    void *free_lists[CHLOE_ARENA_CLASSES]; /* freed small blocks, per class (first word: next) */
    char *bump, *bump_end;                 /* the unused rest of the newest page */
    void *pages;                           /* pages, newest first (first word: next page) */
    size_t page_bytes;                     /* bytes held in pages */
    chloe_large_block *large;              /* blocks from malloc, each after its header */
} chloe_arena;

typedef struct chloe_control {
    /* Memory (bytes). `memory_limit` caps memory_used; allocations that would pass it fail. */
    size_t memory_used;
    size_t memory_peak;
    size_t memory_limit;
    /* Allocations refused because of the limit since the last chloe_arm. */
    unsigned long memory_refusals;
    chloe_arena arena;

    /* Instruction budget for one host->Lua entry. `budget` <= 0 means unlimited. */
    long long budget;
    long long remaining;
    int hook_interval;      /* instructions between two hook calls (<= budget; set by Swift) */
    int budget_exceeded;    /* sticky until the next chloe_arm: every hook raises again */
    int kill_line;                          /* where the budget ran out (-1 if unknown) */
    char kill_source[LUA_IDSIZE];

    /* When the count hook is armed (section 4). With `watchdog` NULL: at every entry (every
     * instruction is metered). Otherwise only once the watchdog finds the entry still running
     * after its time slice; until then the entry runs without a hook. */
    struct chloe_watchdog *watchdog;
    volatile int armed;                     /* the count hook is armed for this entry */
    lua_State *volatile current;            /* the thread running now: main, or a resumed coroutine */
    struct chloe_thread_slot *slot;         /* the watchdog slot this entry is published in */
    struct chloe_control *outer;            /* the entry it interrupted on this thread (nested states) */
    size_t arm_above;   /* an unarmed entry that grows memory_used past this arms its hook at once */
    void *budget_hook;  /* chloe_budget_hook (defined after the allocator) */

    /* Filled by chloe_message_handler for the error that reached the host. */
    int error_line;                         /* innermost Lua frame's current line, or -1 */
    char error_source[LUA_IDSIZE];          /* its short source ("" if none) */
    size_t error_message_length;            /* length of the message before the traceback */

    /* Swift's per-entry bookkeeping, kept here (plain C memory, no exclusivity checks). */
    int running;                 /* an entry is in progress (reentrancy guard) */
    int releases_pending;        /* handles dropped registry refs to free at the next entry */
    int result_mismatch;         /* a LuaResults reader met a type mismatch this call */
    long long last_instructions; /* instructions the last entry used (to the hook's granularity) */

    /* os.time, os.clock, os.date for the sandbox's os table (chloe_os_clock_functions); when
     * NULL, chloe_open_sandbox takes them from a full os table it opens. */
    lua_CFunction os_functions[3];

    /* Host callbacks (NULL while the state closes: trampolines then raise). */
    chloe_host_dispatch_fn host_dispatch;
    chloe_print_fn print;
    void *print_context;
} chloe_control;

static inline chloe_control *chloe_control_of(lua_State *L) {
    void *ud = NULL;
    (void)lua_getallocf(L, &ud);
    return (chloe_control *)ud;
}

/* ============================================================================================
 * 2. Raise-free helpers (macro wrappers and plain API calls that cannot longjmp).
 * ============================================================================================ */

static inline int chloe_registry_index(void) { return LUA_REGISTRYINDEX; }
static inline int chloe_upvalue_index(int i) { return lua_upvalueindex(i); }
static inline int chloe_noref(void) { return LUA_NOREF; }
static inline int chloe_multret(void) { return LUA_MULTRET; }

static inline int chloe_gettop(lua_State *L) { return lua_gettop(L); }
/** Only to shrink the stack (our stacks never hold to-be-closed variables). */
static inline void chloe_settop(lua_State *L, int idx) { lua_settop(L, idx); }
static inline void chloe_pop(lua_State *L, int n) { lua_pop(L, n); }
/** Never raises: returns 0 when the stack cannot grow. */
static inline int chloe_checkstack(lua_State *L, int n) { return lua_checkstack(L, n); }

static inline int chloe_type(lua_State *L, int idx) { return lua_type(L, idx); }
static inline const char *chloe_typename_of(lua_State *L, int idx) { return luaL_typename(L, idx); }
static inline int chloe_isnil(lua_State *L, int idx) { return lua_isnil(L, idx); }
static inline int chloe_isnone(lua_State *L, int idx) { return lua_isnone(L, idx); }
static inline int chloe_isfunction(lua_State *L, int idx) { return lua_isfunction(L, idx); }
static inline int chloe_istable(lua_State *L, int idx) { return lua_istable(L, idx); }
static inline int chloe_isboolean(lua_State *L, int idx) { return lua_isboolean(L, idx); }
static inline int chloe_isnumber_value(lua_State *L, int idx) { return lua_type(L, idx) == LUA_TNUMBER; }

/** lua_tonumber: converting a numeric string does not allocate. */
static inline lua_Number chloe_tonumber(lua_State *L, int idx) { return lua_tonumber(L, idx); }
static inline int chloe_toboolean(lua_State *L, int idx) { return lua_toboolean(L, idx); }
/**
 * lua_tostring restricted to values that ARE strings (returns NULL otherwise): on a number,
 * lua_tolstring converts the stack slot in place, which allocates and can raise.
 */
static inline const char *chloe_tostring(lua_State *L, int idx, size_t *length) {
    if (lua_type(L, idx) != LUA_TSTRING) { if (length) *length = 0; return NULL; }
    return lua_tolstring(L, idx, length);
}

/* Pushes that never allocate (given stack space). */
static inline void chloe_pushnumber(lua_State *L, lua_Number n) { lua_pushnumber(L, n); }
static inline void chloe_pushinteger(lua_State *L, lua_Integer n) { lua_pushinteger(L, n); }
static inline void chloe_pushboolean(lua_State *L, int b) { lua_pushboolean(L, b); }
static inline void chloe_pushnil(lua_State *L) { lua_pushnil(L); }
static inline void chloe_pushvalue(lua_State *L, int idx) { lua_pushvalue(L, idx); }
static inline void chloe_pushlightuserdata(lua_State *L, void *p) { lua_pushlightuserdata(L, p); }
/** A C function without upvalues is a light value: no allocation. */
static inline void chloe_pushcfunction(lua_State *L, lua_CFunction f) { lua_pushcfunction(L, f); }
/** Pushes the value a registry reference stands for (registry refs live in the array part). */
static inline int chloe_pushref(lua_State *L, int ref) { return lua_rawgeti(L, LUA_REGISTRYINDEX, ref); }
static inline void chloe_insert(lua_State *L, int idx) { lua_insert(L, idx); }
static inline void chloe_remove(lua_State *L, int idx) { lua_remove(L, idx); }
static inline void chloe_replace(lua_State *L, int idx) { lua_replace(L, idx); }

/**
 * lua_next for iterating a table at `idx`, starting from a nil key. Raise-free as long as the
 * key on top is nil or a key this same traversal returned and the table is not modified.
 */
static inline int chloe_next(lua_State *L, int idx) { return lua_next(L, idx); }

/**
 * lua_pcall. The call machinery itself is protected: whatever the callee raises comes back
 * as the returned status with the error value on top.
 */
static inline int chloe_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    return lua_pcall(L, nargs, nresults, msgh);
}

/* ============================================================================================
 * 3. Memory: a lua_Alloc that accounts every byte and refuses growth past memory_limit.
 *    Lua answers a refused allocation with an emergency full GC and one retry, then raises
 *    LUA_ERRMEM ("not enough memory") which is catchable and leaves the state usable.
 *    Shrinking never fails (Lua relies on that).
 *
 *    The blocks come from the state's arena: blocks up to CHLOE_ARENA_SMALL bytes are carved
 *    from 16 KiB pages and kept on per-size free lists when Lua frees them (no malloc, no
 *    free, no lock on the common path); larger ones come from malloc behind a header that
 *    links them. So a state is thrown away by chloe_discard in a few free() calls instead of
 *    lua_close's walk over every object (possible because the sandbox has no finalizers:
 *    setmetatable refuses `__gc`, and the host sets none). Pages are capped at twice the
 *    memory limit: a script that churns through block sizes meets the memory error there.
 * ============================================================================================ */

static inline void *chloe_arena_large(chloe_arena *a, size_t size) {
    chloe_large_block *block = (chloe_large_block *)malloc(sizeof(chloe_large_block) + size);
    if (block == NULL) return NULL;
    block->prev = NULL;
    block->next = a->large;
    if (a->large) a->large->prev = block;
    a->large = block;
    return block + 1;
}

static inline void chloe_arena_unlink(chloe_arena *a, chloe_large_block *block) {
    if (block->prev) block->prev->next = block->next; else a->large = block->next;
    if (block->next) block->next->prev = block->prev;
}

/** Bytes of pages a state may hold: twice its memory limit, at least four pages. */
static inline size_t chloe_arena_page_limit(size_t memory_limit) {
    size_t limit = memory_limit < ((size_t)-1) / 2 ? 2 * memory_limit : (size_t)-1;
    return limit < 4 * CHLOE_ARENA_PAGE ? 4 * CHLOE_ARENA_PAGE : limit;
}

/** A block for `size` bytes (> 0), new pages only while the state stays within `memory_limit`'s page allowance; NULL when it cannot be had. */
static inline void *chloe_arena_get(chloe_arena *a, size_t size, size_t memory_limit) {
    if (size > CHLOE_ARENA_SMALL) return chloe_arena_large(a, size);
    size_t cls = (size - 1) >> 4;
    void *block = a->free_lists[cls];
    if (block != NULL) {
        a->free_lists[cls] = *(void **)block;
        return block;
    }
    size_t rounded = (cls + 1) << 4;
    if ((size_t)(a->bump_end - a->bump) < rounded) {
        if (a->page_bytes + CHLOE_ARENA_PAGE > chloe_arena_page_limit(memory_limit)) return NULL;
        char *page = (char *)malloc(CHLOE_ARENA_PAGE);
        if (page == NULL) return NULL;
        *(void **)page = a->pages;
        a->pages = page;
        a->page_bytes += CHLOE_ARENA_PAGE;
        a->bump = page + 16;
        a->bump_end = page + CHLOE_ARENA_PAGE;
    }
    block = a->bump;
    a->bump += rounded;
    return block;
}

/** Gives back a block Lua says holds `size` bytes. */
static inline void chloe_arena_put(chloe_arena *a, void *block, size_t size) {
    if (size > CHLOE_ARENA_SMALL) {
        chloe_large_block *header = (chloe_large_block *)block - 1;
        chloe_arena_unlink(a, header);
        free(header);
        return;
    }
    size_t cls = (size - 1) >> 4;
    *(void **)block = a->free_lists[cls];
    a->free_lists[cls] = block;
}

/** Frees every page and large block: the end of the state (no Lua call may follow). */
static inline void chloe_arena_release(chloe_arena *a) {
    for (chloe_large_block *block = a->large; block != NULL;) {
        chloe_large_block *next = block->next;
        free(block);
        block = next;
    }
    for (void *page = a->pages; page != NULL;) {
        void *next = *(void **)page;
        free(page);
        page = next;
    }
    memset(a, 0, sizeof *a);
}

/**
 * The state grew past `arm_above` during an entry the watchdog has not armed: a call that
 * allocates fast (deep recursion, a growing table) is metered at once, so its budget, not the
 * memory cap, stops it as when every instruction is metered; same thread, so this is
 * lua_sethook's signal-time use (see section 4b). Returns `block`.
 */
static inline void *chloe_alloc_arm(chloe_control *c, void *block) {
    if (!c->armed && c->current != NULL) {
        c->armed = 1;
        lua_sethook(c->current, (lua_Hook)c->budget_hook, LUA_MASKCOUNT, c->hook_interval);
    }
    return block;
}

/** Every case of the allocator (the common ones have a fast path in chloe_alloc below). */
__attribute__((noinline)) static void *chloe_alloc_general(void *ud, void *ptr, size_t osize, size_t nsize) {
    chloe_control *c = (chloe_control *)ud;
    chloe_arena *a = &c->arena;
    size_t old = ptr ? osize : 0; /* for a new block, osize is a type tag, not a size */
    if (nsize == 0) {
        if (ptr) chloe_arena_put(a, ptr, old);
        c->memory_used -= old;
        return NULL;
    }
    if (nsize > old) {
        size_t growth = nsize - old;
        if (c->memory_used > c->memory_limit || growth > c->memory_limit - c->memory_used) {
            c->memory_refusals++;
            return NULL;
        }
    }
    void *block;
    if (ptr == NULL) {
        block = chloe_arena_get(a, nsize, c->memory_limit);
        if (block == NULL) return NULL;
    } else if (old <= CHLOE_ARENA_SMALL && nsize <= CHLOE_ARENA_SMALL && (old - 1) >> 4 == (nsize - 1) >> 4) {
        block = ptr; /* same size class */
    } else if (old > CHLOE_ARENA_SMALL && nsize > CHLOE_ARENA_SMALL) {
        chloe_large_block *header = (chloe_large_block *)ptr - 1;
        chloe_large_block *prev = header->prev, *next = header->next;
        chloe_large_block *moved = (chloe_large_block *)realloc(header, sizeof(chloe_large_block) + nsize);
        if (moved == NULL) return nsize <= old ? ptr : NULL; /* a failed shrink keeps the (larger) old block */
        if (prev) prev->next = moved; else a->large = moved;
        if (next) next->prev = moved;
        block = moved + 1;
    } else {
        block = chloe_arena_get(a, nsize, c->memory_limit);
        if (block == NULL) {
            /* a failed shrink keeps the old block: freed later as `nsize`, a small one simply
             * joins a smaller class (a large one too: it stays linked until the state ends) */
            return nsize <= old ? ptr : NULL;
        }
        memcpy(block, ptr, old < nsize ? old : nsize);
        if (old <= CHLOE_ARENA_SMALL) chloe_arena_put(a, ptr, old);
        else {
            chloe_large_block *header = (chloe_large_block *)ptr - 1;
            chloe_arena_unlink(a, header);
            free(header);
        }
    }
    c->memory_used = c->memory_used - old + nsize;
    if (c->memory_used > c->memory_peak) c->memory_peak = c->memory_used;
    if (c->memory_used > c->arm_above) return chloe_alloc_arm(c, block);
    return block;
}

/**
 * The allocator Lua calls. A new small block within the limit (most of what a state allocates)
 * and a block given back take the short path here; everything else, and a new block that needs
 * a new page, goes through chloe_alloc_general, which handles every case alike.
 */
static inline void *chloe_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    chloe_control *c = (chloe_control *)ud;
    if (ptr == NULL && nsize - 1 < CHLOE_ARENA_SMALL) { /* a new block of 1...512 bytes */
        chloe_arena *a = &c->arena;
        if (c->memory_used <= c->memory_limit && nsize <= c->memory_limit - c->memory_used) {
            size_t cls = (nsize - 1) >> 4;
            void *block = a->free_lists[cls];
            if (block != NULL) {
                a->free_lists[cls] = *(void **)block;
            } else {
                size_t rounded = (cls + 1) << 4;
                if ((size_t)(a->bump_end - a->bump) < rounded) return chloe_alloc_general(ud, ptr, osize, nsize);
                block = a->bump;
                a->bump += rounded;
            }
            c->memory_used += nsize;
            if (c->memory_used > c->memory_peak) c->memory_peak = c->memory_used;
            if (c->memory_used > c->arm_above) return chloe_alloc_arm(c, block);
            return block;
        }
    } else if (nsize == 0) {
        if (ptr != NULL) {
            chloe_arena_put(&c->arena, ptr, osize);
            c->memory_used -= osize;
        }
        return NULL;
    }
    return chloe_alloc_general(ud, ptr, osize, nsize);
}

/*
 * The collector's pause while a state is built. A new state's first cycle starts at once and,
 * with Lua's default pause (200 %: the next cycle when memory doubles), cycles follow at about
 * 8, 16 and 32 KiB, each marking everything built so far, which is all kept anyway. With a
 * pause of 1000 % the cycles after the first, tiny one come at ten times the memory in use:
 * none while a strategy state is built. Garbage stays bounded (ten times what is in use, and
 * the memory limit, whose refusal runs an emergency full collection, still applies), unlike
 * with the collector stopped. Scripts cannot change it (the sandbox's collectgarbage has no
 * "incremental"). Raise-free: lua_gc only sets the parameter.
 */
#define CHLOE_GC_BUILD_PAUSE 1000
#define CHLOE_GC_DEFAULT_PAUSE 200  /* LUAI_GCPAUSE */

static inline void chloe_gc_building(lua_State *L, int building) {
    lua_gc(L, LUA_GCINC, building ? CHLOE_GC_BUILD_PAUSE : CHLOE_GC_DEFAULT_PAUSE, 0, 0);
}

/** Only reached if a raise escapes every protected call: a bridge bug. Lua aborts afterwards. */
static inline int chloe_panic(lua_State *L) {
    const char *message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(non-string error)";
    fprintf(stderr, "chloe: unprotected Lua error (bridge bug): %s\n", message);
    fflush(stderr);
    return 0;
}

/** Creates a state whose allocations go through chloe_alloc. NULL if the first blocks don't fit. */
static inline lua_State *chloe_newstate(chloe_control *c) {
    lua_State *L = lua_newstate(chloe_alloc, c);
    if (L) {
        lua_atpanic(L, chloe_panic);
        *(void **)lua_getextraspace(L) = NULL; /* not zeroed by Lua; coroutines copy it */
    }
    return L;
}

/**
 * Ends a state without lua_close: its arena is freed whole. Lua's close would only free
 * memory (the sandbox allows no finalizers, and between entries the main thread holds no
 * pending to-be-closed variable), one object at a time.
 */
static inline void chloe_discard(chloe_control *c) { chloe_arena_release(&c->arena); }

/* ============================================================================================
 * 4. Instruction budget: a count hook. Each host->Lua entry calls chloe_enter, which refills
 *    `remaining`. When it runs out, the hook raises "<where>: instruction budget ... exceeded"
 *    and sets budget_exceeded; from then on the hook fires on EVERY instruction of every
 *    coroutine and raises again, so a script's own pcall/coroutine cannot swallow the kill:
 *    the next instruction after the catch raises anew, until the error reaches the host.
 *
 *    While a count hook is set, Lua 5.4 sends every instruction through its hook path
 *    (luaG_traceexec), whatever the count: about 40% of a short call's time. So a state with a
 *    watchdog (section 4b) enters WITHOUT the hook, and the watchdog arms it only for an entry
 *    it finds still running after its time slice; from then on the budget is counted as above.
 *    A state without a watchdog arms the hook at every entry (every instruction metered).
 * ============================================================================================ */

/*
 * An error raised from a hook leaves that thread with hooks disabled (Lua restores them only
 * at a pcall boundary). A coroutine killed that way dies in that state, and closing it
 * (coroutine.close, or coroutine.wrap's error path) would run its pending `__close`
 * metamethods with no budget. So the hook marks the thread it raises in, in the thread's
 * LUA_EXTRASPACE (no allocation; new threads copy the main thread's, which is never marked),
 * and the sandbox's coroutine.close / coroutine.wrap skip closing marked threads.
 */
static inline void chloe_mark_killed(lua_State *L) {
    int is_main = lua_pushthread(L);
    lua_pop(L, 1);
    if (!is_main) *(void **)lua_getextraspace(L) = (void *)1;
}

static inline int chloe_is_killed(lua_State *co) {
    return *(void **)lua_getextraspace(co) != NULL;
}

static inline void chloe_budget_hook(lua_State *L, lua_Debug *ar) {
    chloe_control *c = chloe_control_of(L);
    if (ar->event != LUA_HOOKCOUNT) return;
    if (!c->budget_exceeded) {
        c->remaining -= lua_gethookcount(L);
        if (c->budget <= 0 || c->remaining > 0) {
            /* a coroutine may still carry the every-instruction hook of an earlier kill */
            if (lua_gethookcount(L) != c->hook_interval)
                lua_sethook(L, chloe_budget_hook, LUA_MASKCOUNT, c->hook_interval);
            return;
        }
        c->budget_exceeded = 1;
        if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0) {
            c->kill_line = ar->currentline;
            strncpy(c->kill_source, ar->short_src, sizeof c->kill_source - 1);
            c->kill_source[sizeof c->kill_source - 1] = '\0';
        }
    }
    lua_sethook(L, chloe_budget_hook, LUA_MASKCOUNT, 1);
    chloe_mark_killed(L);
    if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
        lua_pushfstring(L, "%s:%d: instruction budget of %I instructions exceeded",
                        ar->short_src, ar->currentline, (lua_Integer)c->budget);
    else
        lua_pushfstring(L, "instruction budget of %I instructions exceeded", (lua_Integer)c->budget);
    lua_error(L);
}

/**
 * Puts the budget hook on thread `L` of an armed entry (a coroutine about to be resumed, or
 * the resumer once the coroutine gave control back), unless it already has it. After a kill,
 * every thread gets the every-instruction hook, so the next instruction raises again.
 */
static inline void chloe_hook_thread(lua_State *L, chloe_control *c) {
    int count = c->budget_exceeded ? 1 : c->hook_interval;
    if (lua_gethook(L) != chloe_budget_hook || (c->budget_exceeded && lua_gethookcount(L) != 1))
        lua_sethook(L, chloe_budget_hook, LUA_MASKCOUNT, count);
}

/** Clears the per-entry records and refills the budget. */
static inline void chloe_reset_entry(lua_State *L, chloe_control *c) {
    c->remaining = c->budget > 0 ? c->budget : 0;
    c->budget_exceeded = 0;
    c->kill_line = -1;
    c->kill_source[0] = '\0';
    c->memory_refusals = 0;
    c->error_line = -1;
    c->error_source[0] = '\0';
    c->error_message_length = 0;
    c->current = L;
    if (c->hook_interval <= 0) c->hook_interval = 1000;
}

/**
 * Starts an entry with the hook armed from its first instruction (every instruction metered):
 * states without a watchdog, and the finalizers lua_close runs.
 */
static inline void chloe_arm(lua_State *L, chloe_control *c) {
    chloe_reset_entry(L, c);
    c->arm_above = (size_t)-1;
    if (c->budget > 0) {
        c->armed = 1;
        lua_sethook(L, chloe_budget_hook, LUA_MASKCOUNT, c->hook_interval);
    } else {
        c->armed = 0;
        lua_sethook(L, NULL, 0, 0);
    }
}

/** Instructions counted since the hook was armed, to the hook's granularity (0 without a budget). */
static inline long long chloe_instructions_used(lua_State *L, chloe_control *c) {
    (void)L;
    if (c->budget <= 0) return 0;
    long long used = c->budget - c->remaining;
    return used < 0 ? c->budget : used;
}

/* ============================================================================================
 * 4b. The watchdog: one thread per process that arms the count hook of entries running longer
 *     than its time slice.
 *
 *     Each thread that runs entries has a slot (created at its first entry, found again with
 *     pthread_getspecific) where the entry in progress is published: `control` and a sequence
 *     number `seq` bumped at every entry start and end (plain stores, no lock, no syscall).
 *     Every `period_ns` the watchdog scans the slots; a slot showing the same `seq` with an
 *     entry in progress at two scans in a row holds an entry that has run for at least one
 *     period. The watchdog then sends that thread a signal carrying the slot; the handler runs
 *     ON that thread, checks the entry is still the same one, and calls lua_sethook on the
 *     Lua thread running now (`control->current`) — the use Lua documents for lua_sethook
 *     ("can be called during a signal"; lua.c stops scripts on SIGINT this way). lua_sethook
 *     marks every Lua frame of that thread, so even `while true do end` sees the hook at its
 *     next jump. The watchdog itself never touches a lua_State from its own thread.
 *
 *     Coroutines: a thread created after arming inherits the hook; the sandbox's resume,
 *     wrap and close hook the coroutine before running it and the resumer after it, and keep
 *     `current` pointing at the thread that runs (section 6).
 *
 *     Fast allocation: an unarmed entry that grows the state by more than min(1 MiB, limit / 8)
 *     is armed at once by the allocator (same thread), so deep recursion or a growing table
 *     meets the budget as under every-instruction metering instead of the memory cap first.
 *
 *     Idle: after 1,000 scans without an entry in progress the period grows to 20 ms, so an
 *     idle process wakes 50 times a second; the first long entry brings it back.
 * ============================================================================================ */

#ifndef __USE_GNU
/* glibc (since 2.11) exports it; its header declares it only under _GNU_SOURCE */
extern int pthread_sigqueue(pthread_t thread, int signal, const union sigval value);
#endif

typedef struct chloe_thread_slot {
    struct chloe_thread_slot *next;   /* the watchdog's list (guarded by its mutex) */
    struct chloe_watchdog *watchdog;
    pthread_t thread;
    chloe_control *volatile control;  /* the entry in progress on this thread, or NULL */
    volatile unsigned long seq;       /* bumped at every entry start and end */
    volatile unsigned long target;    /* the seq the watchdog signalled for */
    unsigned long seen;               /* watchdog only: seq at its previous scan */
} chloe_thread_slot;

typedef struct chloe_watchdog {
    pthread_mutex_t lock;
    chloe_thread_slot *slots;
    pthread_key_t key;
    int signal;
    long period_ns;
    volatile unsigned long signals_sent;
} chloe_watchdog;

/** Runs on the signalled thread (async-signal-safe: plain reads and lua_sethook). */
static inline void chloe_watchdog_handler(int signal, siginfo_t *info, void *context) {
    (void)signal;
    (void)context;
    if (info == NULL || info->si_code != SI_QUEUE || info->si_pid != getpid()) return;
    chloe_thread_slot *slot = (chloe_thread_slot *)info->si_value.sival_ptr;
    if (slot == NULL || !pthread_equal(slot->thread, pthread_self())) return;
    if (slot->seq != slot->target) return;          /* that entry is over */
    chloe_control *c = slot->control;
    if (c == NULL || c->armed || c->budget <= 0) return;
    c->armed = 1;
    lua_sethook(c->current, chloe_budget_hook, LUA_MASKCOUNT, c->hook_interval);
}

static inline void *chloe_watchdog_main(void *argument) {
    chloe_watchdog *w = (chloe_watchdog *)argument;
    unsigned idle = 0;
    for (;;) {
        long pause = idle > 1000 ? 20000000L : w->period_ns;
        struct timespec delay = { pause / 1000000000L, pause % 1000000000L };
        while (nanosleep(&delay, &delay) != 0 && errno == EINTR) {}
        int busy = 0;
        pthread_mutex_lock(&w->lock);
        for (chloe_thread_slot *slot = w->slots; slot != NULL; slot = slot->next) {
            unsigned long seq = __atomic_load_n(&slot->seq, __ATOMIC_ACQUIRE);
            chloe_control *c = __atomic_load_n(&slot->control, __ATOMIC_RELAXED);
            if (c != NULL) busy = 1;
            if (seq != slot->seen) { slot->seen = seq; continue; }
            if (c == NULL || slot->target == seq) continue;
            __atomic_store_n(&slot->target, seq, __ATOMIC_RELEASE);
            union sigval value;
            value.sival_ptr = slot;
            if (pthread_sigqueue(slot->thread, w->signal, value) == 0) w->signals_sent++;
        }
        pthread_mutex_unlock(&w->lock);
        idle = busy ? 0 : idle + 1;
    }
    return NULL;
}

/** Thread exit: the slot leaves the list (under the lock, so the watchdog never signals a gone thread). */
static inline void chloe_watchdog_forget(void *pointer) {
    chloe_thread_slot *slot = (chloe_thread_slot *)pointer;
    chloe_watchdog *w = slot->watchdog;
    pthread_mutex_lock(&w->lock);
    for (chloe_thread_slot **link = &w->slots; *link != NULL; link = &(*link)->next) {
        if (*link == slot) { *link = slot->next; break; }
    }
    pthread_mutex_unlock(&w->lock);
    free(slot);
}

/**
 * Starts the watchdog thread with time slice `period_ns`, sending signal SIGRTMIN + `offset`.
 * Returns 0, or an errno value (the caller then arms hooks at every entry instead).
 * Call once per process (Swift keeps the one watchdog in a global).
 */
static inline int chloe_watchdog_start(chloe_watchdog *w, long period_ns, int offset) {
    memset(w, 0, sizeof *w);
    w->period_ns = period_ns > 0 ? period_ns : 1000000L;
    w->signal = SIGRTMIN + offset;
    if (w->signal > SIGRTMAX) return EINVAL;
    int status = pthread_mutex_init(&w->lock, NULL);
    if (status != 0) return status;
    status = pthread_key_create(&w->key, chloe_watchdog_forget);
    if (status != 0) return status;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = chloe_watchdog_handler;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    if (sigaction(w->signal, &action, NULL) != 0) return errno;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attributes, 64 * 1024);
    /* the watchdog thread takes no signal of ours */
    sigset_t blocked, previous;
    sigfillset(&blocked);
    pthread_sigmask(SIG_BLOCK, &blocked, &previous);
    pthread_t thread;
    status = pthread_create(&thread, &attributes, chloe_watchdog_main, w);
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    pthread_attr_destroy(&attributes);
    return status;
}

/**
 * This thread's slot, created at its first entry: listed for the watchdog, with the watchdog's
 * signal unblocked on this thread (Dispatch worker threads block every signal). NULL when
 * it cannot be made (the entry is then armed at once).
 */
static inline chloe_thread_slot *chloe_watchdog_slot(chloe_watchdog *w) {
    chloe_thread_slot *slot = (chloe_thread_slot *)pthread_getspecific(w->key);
    if (slot != NULL) return slot;
    slot = (chloe_thread_slot *)calloc(1, sizeof *slot);
    if (slot == NULL) return NULL;
    slot->watchdog = w;
    slot->thread = pthread_self();
    sigset_t ours;
    sigemptyset(&ours);
    sigaddset(&ours, w->signal);
    if (pthread_sigmask(SIG_UNBLOCK, &ours, NULL) != 0 || pthread_setspecific(w->key, slot) != 0) {
        free(slot);
        return NULL;
    }
    pthread_mutex_lock(&w->lock);
    slot->next = w->slots;
    w->slots = slot;
    pthread_mutex_unlock(&w->lock);
    return slot;
}

/**
 * Starts a host->Lua entry: refills the budget and clears the error records; arms the hook at
 * once for a state without a watchdog, else publishes the entry in this thread's slot.
 */
static inline void chloe_enter(lua_State *L, chloe_control *c) {
    chloe_watchdog *w = c->watchdog;
    if (w == NULL || c->budget <= 0) { chloe_arm(L, c); return; }
    chloe_thread_slot *slot = chloe_watchdog_slot(w);
    if (slot == NULL) { chloe_arm(L, c); return; }
    chloe_reset_entry(L, c);
    c->armed = 0;
    c->budget_hook = (void *)chloe_budget_hook;
    size_t margin = c->memory_limit / 8 < ((size_t)1 << 20) ? c->memory_limit / 8 : ((size_t)1 << 20);
    c->arm_above = c->memory_used + margin;
    if (lua_gethook(L) != NULL) lua_sethook(L, NULL, 0, 0);
    c->slot = slot;
    c->outer = slot->control;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    __atomic_store_n(&slot->control, c, __ATOMIC_RELAXED);
    __atomic_store_n(&slot->seq, slot->seq + 1, __ATOMIC_RELEASE);
}

/**
 * Ends an entry: withdraws it from the slot (a late signal then finds another seq and does
 * nothing), then takes the hook off the main thread if the watchdog armed it. Coroutines keep
 * theirs: resumed in a later entry, they count against that entry's budget.
 */
static inline void chloe_leave(lua_State *L, chloe_control *c) {
    chloe_thread_slot *slot = c->slot;
    if (slot != NULL) {
        __atomic_store_n(&slot->seq, slot->seq + 1, __ATOMIC_RELEASE);
        __atomic_store_n(&slot->control, c->outer, __ATOMIC_RELAXED);
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
        c->slot = NULL;
        c->outer = NULL;
        c->arm_above = (size_t)-1;
        if (c->armed) lua_sethook(L, NULL, 0, 0);
        c->armed = 0;
    }
    c->current = L;
}

/** Signals the watchdog has sent (for tests and benchmarks). */
static inline unsigned long chloe_watchdog_signals(chloe_watchdog *w) {
    return __atomic_load_n(&w->signals_sent, __ATOMIC_RELAXED);
}

/* ============================================================================================
 * 5. Errors: the message handler every host pcall installs. It records where the error
 *    happened (innermost Lua frame) for errors whose message has no position (error(table),
 *    error("x", 0)), turns non-string error values into a message, and appends a traceback.
 *    The message's own length is stored so Swift can split message and traceback exactly.
 * ============================================================================================ */

static inline int chloe_message_handler(lua_State *L) {
    chloe_control *c = chloe_control_of(L);
    lua_Debug ar;
    c->error_line = -1;
    c->error_source[0] = '\0';
    for (int level = 1; level < 64 && lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            c->error_line = ar.currentline;
            strncpy(c->error_source, ar.short_src, sizeof c->error_source - 1);
            c->error_source[sizeof c->error_source - 1] = '\0';
            break;
        }
    }
    const char *message;
    if (lua_type(L, 1) == LUA_TSTRING) {
        message = lua_tostring(L, 1);
    } else if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) {
        message = lua_tostring(L, -1);
    } else if (lua_type(L, 1) == LUA_TNUMBER || lua_type(L, 1) == LUA_TBOOLEAN) {
        message = luaL_tolstring(L, 1, NULL);
    } else {
        message = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    c->error_message_length = strlen(message);
    luaL_traceback(L, L, message, 1);
    return 1;
}

/**
 * Runs `f(ud)` under lua_pcall with chloe_message_handler. On LUA_OK the function's
 * `nresults` results are on top; otherwise the error value is. The handler is removed.
 */
static inline int chloe_protect(lua_State *L, lua_CFunction f, void *ud, int nresults) {
    int handler = lua_gettop(L) + 1;
    lua_pushcfunction(L, chloe_message_handler);
    lua_pushcfunction(L, f);
    lua_pushlightuserdata(L, ud);
    int status = lua_pcall(L, 1, nresults, handler);
    lua_remove(L, handler);
    return status;
}

/* ============================================================================================
 * 6. Sandbox: the libraries a strategy may use. See LuaSandbox.swift for the list of omitted
 *    globals and the reasons.
 * ============================================================================================ */

/** `load` that only accepts text chunks: the mode argument is forced to "t". */
static inline int chloe_sandbox_load(lua_State *L) {
    int given = lua_gettop(L);
    if (given < 3) lua_settop(L, 3); /* keep `env` absent (not nil) when it was not given */
    lua_pushliteral(L, "t");
    lua_replace(L, 3);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/** `collectgarbage` limited to "collect", "count" and "step". */
static inline int chloe_sandbox_collectgarbage(lua_State *L) {
    const char *option = luaL_optstring(L, 1, "collect");
    if (strcmp(option, "collect") != 0 && strcmp(option, "count") != 0 && strcmp(option, "step") != 0)
        return luaL_error(L, "collectgarbage('%s') is not available in the sandbox "
                             "(allowed: \"collect\", \"count\", \"step\")", option);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/** `print`: tostring of each argument, tab-separated, handed to the host's print sink. */
static inline int chloe_sandbox_print(lua_State *L) {
    int n = lua_gettop(L);
    luaL_Buffer buffer;
    luaL_buffinit(L, &buffer);
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addchar(&buffer, '\t');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&buffer);
    }
    luaL_pushresult(&buffer);
    size_t length = 0;
    const char *text = lua_tolstring(L, -1, &length);
    chloe_control *c = chloe_control_of(L);
    if (c->print) c->print(c->print_context, text, length);
    return 0;
}

/**
 * `setmetatable` that refuses metatables with a `__gc` field. Lua runs finalizers with hooks
 * disabled, so a looping `__gc` would escape the instruction budget (and could hang
 * lua_close). Lua only marks an object for finalization if its metatable has `__gc` when
 * setmetatable is called, so checking here is enough.
 */
static inline int chloe_sandbox_setmetatable(lua_State *L) {
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "__gc metamethods are not available in the sandbox "
                                 "(finalizers would run outside the instruction budget)");
        lua_pop(L, 1);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/**
 * Wraps the message handler of a script's `xpcall`. An error raised by the budget hook is
 * processed with hooks disabled, so a looping handler would never be stopped: after a budget
 * kill the script's handler is skipped and the error passes through unchanged.
 */
static inline int chloe_sandbox_message_handler(lua_State *L) {
    if (chloe_control_of(L)->budget_exceeded) return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static inline int chloe_sandbox_finish_xpcall(lua_State *L, int status, lua_KContext extra) {
    if (status != LUA_OK && status != LUA_YIELD) {
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - (int)extra;
}

/** `xpcall` as in lbaselib.c (yieldable), with the handler wrapped as above. */
static inline int chloe_sandbox_xpcall(lua_State *L) {
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, chloe_sandbox_message_handler, 1);
    lua_replace(L, 2);
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);
    int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, chloe_sandbox_finish_xpcall);
    return chloe_sandbox_finish_xpcall(L, status, 2);
}

/*
 * Running code in another Lua thread (a coroutine): `current` follows the thread that runs, so
 * the watchdog's signal arms the right one, and once the entry is armed both the coroutine and
 * the resumer carry the hook. `current` is set before the armed test (a signal in between then
 * arms the coroutine itself), and the calls used here return a status instead of raising, so
 * `current` is always restored.
 */
static inline void chloe_switch_to(lua_State *co, chloe_control *c) {
    c->current = co;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    if (c->armed) chloe_hook_thread(co, c);
}

static inline void chloe_switch_back(lua_State *L, chloe_control *c) {
    c->current = L;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    if (c->armed) chloe_hook_thread(L, c);
}

/** lua_resume with the thread switch recorded. */
static inline int chloe_resume(lua_State *L, lua_State *co, int narg, int *nres) {
    chloe_control *c = chloe_control_of(L);
    chloe_switch_to(co, c);
    int status = lua_resume(co, L, narg, nres);
    chloe_switch_back(L, c);
    return status;
}

/** `coroutine.resume` (lcorolib.c's luaB_coresume and auxresume, resuming through chloe_resume). */
static inline int chloe_sandbox_coresume(lua_State *L) {
    lua_State *co = lua_tothread(L, 1);
    luaL_argexpected(L, co != NULL, 1, "coroutine");
    int narg = lua_gettop(L) - 1;
    if (!lua_checkstack(co, narg)) {
        lua_pushboolean(L, 0);
        lua_pushliteral(L, "too many arguments to resume");
        return 2;
    }
    lua_xmove(L, co, narg);
    int nres = 0;
    int status = chloe_resume(L, co, narg, &nres);
    if (status == LUA_OK || status == LUA_YIELD) {
        if (!lua_checkstack(L, nres + 1)) {
            lua_pop(co, nres);
            lua_pushboolean(L, 0);
            lua_pushliteral(L, "too many results to resume");
            return 2;
        }
        lua_xmove(co, L, nres);
        lua_pushboolean(L, 1);
        lua_insert(L, -(nres + 1));
        return nres + 1;
    }
    lua_xmove(co, L, 1); /* the error (co may be L itself: "cannot resume non-suspended coroutine") */
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
}

/** `coroutine.close` that does not run the `__close` handlers of a coroutine killed by the budget. */
static inline int chloe_sandbox_coclose(lua_State *L) {
    lua_State *co = lua_type(L, 1) == LUA_TTHREAD ? lua_tothread(L, 1) : NULL;
    if (co != NULL && chloe_is_killed(co)) {
        lua_pushboolean(L, 0);
        lua_pushliteral(L, "coroutine was stopped by the instruction budget");
        return 2;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    /* the __close handlers run in `co`; protected, so `current` is restored before any raise */
    chloe_control *c = chloe_control_of(L);
    if (co != NULL) chloe_switch_to(co, c);
    int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
    if (co != NULL) chloe_switch_back(L, c);
    if (status != LUA_OK) return lua_error(L);
    return lua_gettop(L);
}

static inline int chloe_reset_coroutine(lua_State *co, lua_State *from) {
    chloe_control *c = chloe_control_of(from);
    chloe_switch_to(co, c);
#if LUA_VERSION_NUM > 504 || (defined(LUA_VERSION_RELEASE_NUM) && LUA_VERSION_RELEASE_NUM >= 50406)
    int status = lua_closethread(co, from);
#else
    int status = lua_resetthread(co);
#endif
    chloe_switch_back(from, c);
    return status;
}

/** The function `coroutine.wrap` returns (lcorolib.c's auxwrap, minus closing killed coroutines). */
static inline int chloe_sandbox_auxwrap(lua_State *L) {
    lua_State *co = lua_tothread(L, lua_upvalueindex(1));
    int narg = lua_gettop(L);
    if (!lua_checkstack(co, narg)) return luaL_error(L, "too many arguments to resume");
    lua_xmove(L, co, narg);
    int nres = 0;
    int status = chloe_resume(L, co, narg, &nres);
    if (status == LUA_OK || status == LUA_YIELD) {
        if (!lua_checkstack(L, nres + 1)) {
            lua_pop(co, nres);
            return luaL_error(L, "too many results to resume");
        }
        lua_xmove(co, L, nres);
        return nres;
    }
    lua_xmove(co, L, 1); /* the error */
    int stat = lua_status(co);
    if (stat != LUA_OK && stat != LUA_YIELD && !chloe_is_killed(co)) {
        stat = chloe_reset_coroutine(co, L); /* close its to-be-closed variables */
        lua_pop(L, 1);
        lua_xmove(co, L, 1);
    }
    if (stat != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
    }
    return lua_error(L);
}

static inline int chloe_sandbox_cowrap(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_State *co = lua_newthread(L);
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 1);
    lua_pushcclosure(L, chloe_sandbox_auxwrap, 1);
    return 1;
}

static inline void chloe_sandbox_drop_global(lua_State *L, const char *name) {
    lua_pushnil(L);
    lua_setglobal(L, name);
}

/*
 * os.time, os.clock and os.date are C functions without upvalues, the same in every state:
 * the host takes them once per process (chloe_os_clock_functions, from a throwaway state) and
 * puts them in each state's control block, so no state builds the eight os functions the
 * sandbox leaves out. (A header cannot keep them itself: Swift emits no storage for a static
 * variable of an imported header.)
 */
static inline const char *chloe_os_kept(int i) { return i == 0 ? "time" : i == 1 ? "clock" : "date"; }

/** Fills `out` with os.time, os.clock and os.date. Returns 0 when they could not be had. */
static inline int chloe_os_clock_functions(lua_CFunction out[3]) {
    lua_State *L = luaL_newstate();
    if (L == NULL) return 0;
    luaopen_os(L);
    int found = 1;
    for (int i = 0; i < 3; i++) {
        lua_getfield(L, -1, chloe_os_kept(i));
        out[i] = lua_tocfunction(L, -1);
        if (out[i] == NULL) found = 0;
        lua_pop(L, 1);
    }
    lua_close(L);
    return found;
}

/*
 * Opens the libraries by hand instead of with luaL_requiref: no package.loaded table (the
 * sandbox has no `require` of Lua's; the runtime's own needs none), and the global table is
 * replaced, before any chunk is loaded, by one created at about its final size (chunks take
 * their _ENV from LUA_RIDX_GLOBALS when they load), so it is not rehashed 7 times.
 */
static inline int chloe_open_sandbox_protected(lua_State *L) {
    lua_createtable(L, 0, 40);
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    luaopen_base(L);
    lua_settop(L, 1);
    luaopen_coroutine(L);
    lua_setglobal(L, LUA_COLIBNAME);
    luaopen_table(L);
    lua_setglobal(L, LUA_TABLIBNAME);
    luaopen_string(L);
    lua_setglobal(L, LUA_STRLIBNAME);
    luaopen_math(L);
    lua_setglobal(L, LUA_MATHLIBNAME);
    luaopen_utf8(L);
    lua_setglobal(L, LUA_UTF8LIBNAME);

    /* os: only the clock functions (from the control block, else from a full os table) */
    chloe_control *c = chloe_control_of(L);
    if (c->os_functions[0] == NULL || c->os_functions[1] == NULL || c->os_functions[2] == NULL) {
        luaopen_os(L);
        lua_createtable(L, 0, 3);
        for (int i = 0; i < 3; i++) {
            lua_getfield(L, -2, chloe_os_kept(i));
            lua_setfield(L, -2, chloe_os_kept(i));
        }
    } else {
        lua_createtable(L, 0, 3);
        for (int i = 0; i < 3; i++) {
            lua_pushcfunction(L, c->os_functions[i]);
            lua_setfield(L, -2, chloe_os_kept(i));
        }
    }
    lua_setglobal(L, "os");
    lua_settop(L, 1);

    chloe_sandbox_drop_global(L, "dofile");
    chloe_sandbox_drop_global(L, "loadfile");
    chloe_sandbox_drop_global(L, "warn");

    lua_getglobal(L, "load");
    lua_pushcclosure(L, chloe_sandbox_load, 1);
    lua_setglobal(L, "load");

    lua_getglobal(L, "collectgarbage");
    lua_pushcclosure(L, chloe_sandbox_collectgarbage, 1);
    lua_setglobal(L, "collectgarbage");

    lua_getglobal(L, "setmetatable");
    lua_pushcclosure(L, chloe_sandbox_setmetatable, 1);
    lua_setglobal(L, "setmetatable");

    lua_pushcfunction(L, chloe_sandbox_xpcall);
    lua_setglobal(L, "xpcall");

    lua_getglobal(L, LUA_COLIBNAME);
    lua_getfield(L, -1, "close");
    lua_pushcclosure(L, chloe_sandbox_coclose, 1);
    lua_setfield(L, -2, "close");
    lua_pushcfunction(L, chloe_sandbox_coresume);
    lua_setfield(L, -2, "resume");
    lua_pushcfunction(L, chloe_sandbox_cowrap);
    lua_setfield(L, -2, "wrap");
    lua_pop(L, 1);

    lua_pushcfunction(L, chloe_sandbox_print);
    lua_setglobal(L, "print");

    /* string.format with a fast path (format.h); the original, for everything else, is also
       registered as string.format in a registry-only loaded table, so its argument errors
       name it (a C function called from C has no name of its own) */
    lua_getglobal(L, LUA_STRLIBNAME);
    lua_getfield(L, -1, "format");
    lua_createtable(L, 0, 1);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "format");
    lua_setfield(L, -2, LUA_STRLIBNAME);
    lua_setfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_pushcclosure(L, chloe_sandbox_format, 1);
    lua_setfield(L, -2, "format");
    lua_pop(L, 1);
    return 0;
}

/** Opens the sandbox libraries (protected). */
static inline int chloe_open_sandbox(lua_State *L) {
    return chloe_protect(L, chloe_open_sandbox_protected, NULL, 0);
}

/* ============================================================================================
 * 7. Loading and calling.
 * ============================================================================================ */

/**
 * luaL_dofile-like, for text only: compiles `buffer` as a text chunk named `chunkname`
 * (binary chunks are refused) and runs it under pcall with the message handler.
 * Returns the status; on error the message is on top. A status of LUA_ERRSYNTAX (or
 * LUA_ERRMEM with *compiled == 0) comes from the compiler, anything else from running.
 */
static inline int chloe_load_text(lua_State *L, const char *buffer, size_t length, const char *chunkname, int *compiled) {
    int handler = lua_gettop(L) + 1;
    lua_pushcfunction(L, chloe_message_handler);
    *compiled = 0;
    int status = luaL_loadbufferx(L, buffer, length, chunkname, "t");
    if (status == LUA_OK) {
        *compiled = 1;
        status = lua_pcall(L, 0, 0, handler);
    }
    lua_remove(L, handler);
    return status;
}

/** A call of a global function by name; the name is resolved inside the protected call. */
typedef struct chloe_call_request {
    const char *function_name;
    int found_type; /* out: type of the global; the call happened only if LUA_TFUNCTION */
} chloe_call_request;

/** Protected driver: (request, args...) -> results of _G[name](args...). */
static inline int chloe_call_global_protected(lua_State *L) {
    chloe_call_request *request = (chloe_call_request *)lua_touserdata(L, 1);
    int nargs = lua_gettop(L) - 1;
    lua_pushglobaltable(L);
    lua_pushstring(L, request->function_name);
    request->found_type = lua_rawget(L, -2);
    if (request->found_type != LUA_TFUNCTION) return 0;
    lua_replace(L, 1);  /* function where the request was */
    lua_pop(L, 1);      /* the global table */
    lua_call(L, nargs, LUA_MULTRET);
    return lua_gettop(L);
}

/* ============================================================================================
 * 8. Registry references, globals, tables: every write is protected (it may allocate).
 * ============================================================================================ */

#define CHLOE_VALUE_NIL 0
#define CHLOE_VALUE_BOOLEAN 1
#define CHLOE_VALUE_NUMBER 2
#define CHLOE_VALUE_INTEGER 3
#define CHLOE_VALUE_STRING 4
#define CHLOE_VALUE_REF 5    /* a registry reference (table, function, interned string) */
#define CHLOE_VALUE_OTHER 6  /* host-call argument of another type; `string` is its type name */
#define CHLOE_VALUE_NEW_TABLE 7 /* chloe_make_ref only: a new empty table */

/** A scalar crossing the bridge. Strings point into Lua (arguments) or Swift (writes). */
typedef struct chloe_value {
    int kind;
    int boolean;
    int ref;
    lua_Number number;
    lua_Integer integer;
    const char *string;
    size_t length;
} chloe_value;

/** Pushes `v`. Allocates (and so may raise) only for CHLOE_VALUE_STRING: protected use only. */
static inline void chloe_push_value_unprotected(lua_State *L, const chloe_value *v) {
    switch (v->kind) {
    case CHLOE_VALUE_BOOLEAN: lua_pushboolean(L, v->boolean); break;
    case CHLOE_VALUE_NUMBER: lua_pushnumber(L, v->number); break;
    case CHLOE_VALUE_INTEGER: lua_pushinteger(L, v->integer); break;
    case CHLOE_VALUE_STRING: lua_pushlstring(L, v->string, v->length); break;
    case CHLOE_VALUE_REF: lua_rawgeti(L, LUA_REGISTRYINDEX, v->ref); break;
    default: lua_pushnil(L); break;
    }
}

/** What a protected registry/global/table operation works on. */
typedef struct chloe_slot_request {
    int table_ref;          /* LUA_NOREF: the global table */
    int key_ref;            /* LUA_NOREF: use key/key_length */
    const char *key;
    size_t key_length;
    chloe_value value;      /* for writes */
    int ref;                /* out (make_ref) / in (unref) */
    int found_type;         /* out (global_ref) */
} chloe_slot_request;

static inline void chloe_push_slot_table(lua_State *L, const chloe_slot_request *r) {
    if (r->table_ref == LUA_NOREF) lua_pushglobaltable(L);
    else lua_rawgeti(L, LUA_REGISTRYINDEX, r->table_ref);
}

static inline void chloe_push_slot_key(lua_State *L, const chloe_slot_request *r) {
    if (r->key_ref == LUA_NOREF) lua_pushlstring(L, r->key, r->key_length);
    else lua_rawgeti(L, LUA_REGISTRYINDEX, r->key_ref);
}

/** value -> new registry ref in r->ref. */
static inline int chloe_make_ref_protected(lua_State *L) {
    chloe_slot_request *r = (chloe_slot_request *)lua_touserdata(L, 1);
    if (r->value.kind == CHLOE_VALUE_NEW_TABLE) lua_newtable(L);
    else chloe_push_value_unprotected(L, &r->value);
    r->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

/** Stores `value` (NEW_TABLE: a new empty table) in the registry; the ref comes back in r->ref. */
static inline int chloe_make_ref(lua_State *L, chloe_slot_request *r) {
    r->ref = LUA_NOREF;
    return chloe_protect(L, chloe_make_ref_protected, r, 0);
}

/** Registry refs to release: array of `count` refs. */
typedef struct chloe_unref_request { const int *refs; int count; } chloe_unref_request;

static inline int chloe_unref_protected(lua_State *L) {
    chloe_unref_request *r = (chloe_unref_request *)lua_touserdata(L, 1);
    for (int i = 0; i < r->count; i++) luaL_unref(L, LUA_REGISTRYINDEX, r->refs[i]);
    return 0;
}

static inline int chloe_unref(lua_State *L, const int *refs, int count) {
    chloe_unref_request r = { refs, count };
    return chloe_protect(L, chloe_unref_protected, &r, 0);
}

/** rawget(table, key) -> pushed (raw: no metamethods). r->found_type gets its type. */
static inline int chloe_get_protected(lua_State *L) {
    chloe_slot_request *r = (chloe_slot_request *)lua_touserdata(L, 1);
    chloe_push_slot_table(L, r);
    chloe_push_slot_key(L, r);
    r->found_type = lua_rawget(L, -2);
    return 1;
}

/** Pushes table[key] (raw). Status as chloe_protect; on LUA_OK the value is on top. */
static inline int chloe_get(lua_State *L, chloe_slot_request *r) {
    r->found_type = LUA_TNONE;
    return chloe_protect(L, chloe_get_protected, r, 1);
}

/** rawget(table, key) and, if it is a function, a registry ref to it in r->ref. */
static inline int chloe_function_ref_protected(lua_State *L) {
    chloe_slot_request *r = (chloe_slot_request *)lua_touserdata(L, 1);
    chloe_push_slot_table(L, r);
    chloe_push_slot_key(L, r);
    r->found_type = lua_rawget(L, -2);
    if (r->found_type == LUA_TFUNCTION) r->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

static inline int chloe_function_ref(lua_State *L, chloe_slot_request *r) {
    r->ref = LUA_NOREF;
    r->found_type = LUA_TNONE;
    return chloe_protect(L, chloe_function_ref_protected, r, 0);
}

/** rawset(table, key, value). */
static inline int chloe_set_protected(lua_State *L) {
    chloe_slot_request *r = (chloe_slot_request *)lua_touserdata(L, 1);
    chloe_push_slot_table(L, r);
    chloe_push_slot_key(L, r);
    chloe_push_value_unprotected(L, &r->value);
    lua_rawset(L, -3);
    return 0;
}

static inline int chloe_set(lua_State *L, chloe_slot_request *r) {
    return chloe_protect(L, chloe_set_protected, r, 0);
}

/**
 * The per-call fast path for a reused table: rawset(table, key, value) WITHOUT a protected
 * call, done only when it cannot raise: the value does not allocate (not a string) and the
 * key is already present with a non-nil value, so rawset overwrites the slot in place and
 * never allocates. Returns 1 when done, 0 when the caller must use chloe_set instead
 * (first write of a key, key set to nil by the script, string value).
 */
static inline int chloe_set_fast(lua_State *L, int table_ref, int key_ref, const chloe_value *v) {
    if (v->kind == CHLOE_VALUE_STRING || v->kind >= CHLOE_VALUE_OTHER) return 0;
    if (!lua_checkstack(L, 4)) return 0;
    lua_rawgeti(L, LUA_REGISTRYINDEX, table_ref);  /* t */
    if (lua_type(L, -1) != LUA_TTABLE) { lua_pop(L, 1); return 0; }
    lua_rawgeti(L, LUA_REGISTRYINDEX, key_ref);    /* t k */
    lua_pushvalue(L, -1);                          /* t k k */
    if (lua_rawget(L, -3) == LUA_TNIL) {           /* t k old */
        lua_pop(L, 3);
        return 0;
    }
    lua_pop(L, 1);                                 /* t k */
    chloe_push_value_unprotected(L, v);            /* t k v  (non-allocating kinds only) */
    lua_rawset(L, -3);                             /* t */
    lua_pop(L, 1);
    return 1;
}

/**
 * Raise-free read for reused tables and returned tables: pushes rawget(table at `idx`,
 * registry key `key_ref`) and returns its type. The key must be an interned string or number.
 */
static inline int chloe_rawget_ref_key(lua_State *L, int idx, int key_ref) {
    idx = lua_absindex(L, idx);
    lua_rawgeti(L, LUA_REGISTRYINDEX, key_ref);
    return lua_rawget(L, idx);
}

/** Pushes a string under protection (it allocates). On LUA_OK the string is on top. */
typedef struct chloe_string_request { const char *bytes; size_t length; } chloe_string_request;

static inline int chloe_push_string_protected(lua_State *L) {
    chloe_string_request *r = (chloe_string_request *)lua_touserdata(L, 1);
    lua_pushlstring(L, r->bytes, r->length);
    return 1;
}

static inline int chloe_push_string(lua_State *L, const char *bytes, size_t length) {
    chloe_string_request r = { bytes, length };
    return chloe_protect(L, chloe_push_string_protected, &r, 1);
}

/** A full garbage collection, protected (finalizers run). */
static inline int chloe_collect_protected(lua_State *L) {
    lua_gc(L, LUA_GCCOLLECT);
    return 0;
}

static inline int chloe_collect(lua_State *L) {
    return chloe_protect(L, chloe_collect_protected, NULL, 0);
}


/* ============================================================================================
 * 9. Host functions: a C closure (upvalue 1: light userdata naming the Swift closure) that
 *    copies its arguments into a chloe_host_call, calls the Swift dispatcher, then pushes the
 *    results — or raises the message the dispatcher left, with the caller's file:line.
 *    The Swift side never sees the lua_State and never raises.
 * ============================================================================================ */

#define CHLOE_HOST_MAX_ARGS 16
#define CHLOE_HOST_MAX_RESULTS 8
#define CHLOE_HOST_MESSAGE_CAPACITY 512

typedef struct chloe_host_call {
    int argument_count;
    int result_count;
    int failed;
    chloe_value arguments[CHLOE_HOST_MAX_ARGS];
    chloe_value results[CHLOE_HOST_MAX_RESULTS];
    char message[CHLOE_HOST_MESSAGE_CAPACITY];
} chloe_host_call;

static inline const chloe_value *chloe_host_argument(const chloe_host_call *call, int i) { return &call->arguments[i]; }
static inline chloe_value *chloe_host_result(chloe_host_call *call, int i) { return &call->results[i]; }

/** Marks the call failed with `message` (truncated to the buffer, NUL-terminated). */
static inline void chloe_host_fail(chloe_host_call *call, const char *message, size_t length) {
    if (length > CHLOE_HOST_MESSAGE_CAPACITY - 1) length = CHLOE_HOST_MESSAGE_CAPACITY - 1;
    memcpy(call->message, message, length);
    call->message[length] = '\0';
    call->failed = 1;
}

static inline int chloe_host_trampoline(lua_State *L) {
    chloe_control *c = chloe_control_of(L);
    void *context = lua_touserdata(L, lua_upvalueindex(1));
    int n = lua_gettop(L);
    if (n > CHLOE_HOST_MAX_ARGS)
        return luaL_error(L, "too many arguments to a host function (%d; at most %d)", n, CHLOE_HOST_MAX_ARGS);
    if (c->host_dispatch == NULL)
        return luaL_error(L, "host functions are unavailable while the state closes");
    chloe_host_call call;
    call.argument_count = n;
    call.result_count = 0;
    call.failed = 0;
    call.message[0] = '\0';
    for (int i = 0; i < n; i++) {
        chloe_value *a = &call.arguments[i];
        a->string = NULL;
        a->length = 0;
        switch (lua_type(L, i + 1)) {
        case LUA_TNIL: a->kind = CHLOE_VALUE_NIL; break;
        case LUA_TBOOLEAN: a->kind = CHLOE_VALUE_BOOLEAN; a->boolean = lua_toboolean(L, i + 1); break;
        case LUA_TNUMBER: a->kind = CHLOE_VALUE_NUMBER; a->number = lua_tonumber(L, i + 1); break;
        case LUA_TSTRING: a->kind = CHLOE_VALUE_STRING; a->string = lua_tolstring(L, i + 1, &a->length); break;
        default:
            a->kind = CHLOE_VALUE_OTHER;
            a->string = luaL_typename(L, i + 1);
            a->length = strlen(a->string);
            break;
        }
    }
    c->host_dispatch(context, &call);
    if (call.failed) {
        call.message[CHLOE_HOST_MESSAGE_CAPACITY - 1] = '\0';
        return luaL_error(L, "%s", call.message);
    }
    int results = call.result_count;
    if (results < 0) results = 0;
    if (results > CHLOE_HOST_MAX_RESULTS) results = CHLOE_HOST_MAX_RESULTS;
    luaL_checkstack(L, results, "host function results");
    for (int i = 0; i < results; i++) {
        if (call.results[i].kind == CHLOE_VALUE_STRING) lua_pushnil(L); /* not supported as a result */
        else chloe_push_value_unprotected(L, &call.results[i]);
    }
    return results;
}

/** Builds a host function closure for `context`; a registry ref to it comes back in *ref. */
typedef struct chloe_host_request { void *context; int ref; } chloe_host_request;

static inline int chloe_make_host_function_protected(lua_State *L) {
    chloe_host_request *r = (chloe_host_request *)lua_touserdata(L, 1);
    lua_pushlightuserdata(L, r->context);
    lua_pushcclosure(L, chloe_host_trampoline, 1);
    r->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

static inline int chloe_make_host_function(lua_State *L, void *context, int *ref) {
    chloe_host_request r = { context, LUA_NOREF };
    int status = chloe_protect(L, chloe_make_host_function_protected, &r, 0);
    *ref = r.ref;
    return status;
}

/* ============================================================================================
 * 10. Strategy runtime helpers: loading a chunk as a module (its return value kept), deep
 *     copies of a table between two states (the per-symbol `state` across a reload), the
 *     candle/trade history functions (C closures reading a Swift-owned ring buffer), and
 *     `where(f)` (a function's file and first line, for error messages).
 * ============================================================================================ */

/** A module load: chunk in, registry ref to its first result out. */
typedef struct chloe_module_request {
    const char *buffer;
    size_t length;
    const char *chunkname;
    const char *mode;   /* "t" for source; "b" only for bytecode the host made with chloe_dump_chunk */
    int compiled;   /* out: 1 once the chunk compiled (errors after that come from running it) */
    int ref;        /* out: registry ref to the chunk's first result (LUA_REFNIL for nil) */
    int type;       /* out: Lua type of that result */
    const lua_CFunction *functions; /* passed to the chunk (its `...`): these C functions first, */
    int function_count;
    const chloe_value *arguments;   /* then these values */
    int argument_count;
} chloe_module_request;

static inline int chloe_load_module_protected(lua_State *L) {
    chloe_module_request *r = (chloe_module_request *)lua_touserdata(L, 1);
    int status = luaL_loadbufferx(L, r->buffer, r->length, r->chunkname, r->mode ? r->mode : "t");
    if (status != LUA_OK) return lua_error(L);
    r->compiled = 1;
    luaL_checkstack(L, r->function_count + r->argument_count, "module arguments");
    for (int i = 0; i < r->function_count; i++) lua_pushcfunction(L, r->functions[i]);
    for (int i = 0; i < r->argument_count; i++) chloe_push_value_unprotected(L, &r->arguments[i]);
    lua_call(L, r->function_count + r->argument_count, 1);
    r->type = lua_type(L, -1);
    r->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

/**
 * Compiles `buffer` as a text chunk and runs it, keeping its first result in the registry
 * (r->ref, r->type). Status as chloe_protect; r->compiled tells a syntax error from a run error.
 */
static inline int chloe_load_module(lua_State *L, chloe_module_request *r) {
    r->compiled = 0;
    r->ref = LUA_NOREF;
    r->type = LUA_TNONE;
    return chloe_protect(L, chloe_load_module_protected, r, 0);
}

/** A deep copy of a table held in another state's registry into this state. */
typedef struct chloe_copy_request {
    lua_State *from;
    int from_ref;
    int max_depth;
    int ref;          /* out: registry ref (in the destination) to the copy */
    int skipped;      /* out: values left out (functions, userdata, coroutines, too deep) */
} chloe_copy_request;

static inline int chloe_copy_is_plain(int type) {
    return type == LUA_TNIL || type == LUA_TBOOLEAN || type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TTABLE;
}

/** Pushes onto `to` a copy of the value on top of `from` (not popped). Raises only in `to`. */
static inline void chloe_copy_value(lua_State *to, lua_State *from, int depth, chloe_copy_request *r) {
    switch (lua_type(from, -1)) {
    case LUA_TBOOLEAN: lua_pushboolean(to, lua_toboolean(from, -1)); return;
    case LUA_TNUMBER:
        if (lua_isinteger(from, -1)) lua_pushinteger(to, lua_tointeger(from, -1));
        else lua_pushnumber(to, lua_tonumber(from, -1));
        return;
    case LUA_TSTRING: {
        size_t length = 0;
        const char *bytes = lua_tolstring(from, -1, &length);
        lua_pushlstring(to, bytes, length);
        return;
    }
    case LUA_TTABLE:
        if (depth >= r->max_depth || !lua_checkstack(from, 3)) { r->skipped++; lua_pushnil(to); return; }
        luaL_checkstack(to, 4, "copying state");
        lua_newtable(to);
        lua_pushnil(from);
        while (lua_next(from, -2) != 0) {          /* from: ... t k v */
            int ktype = lua_type(from, -2);
            int vtype = lua_type(from, -1);
            if ((ktype == LUA_TSTRING || ktype == LUA_TNUMBER || ktype == LUA_TBOOLEAN) && chloe_copy_is_plain(vtype)) {
                lua_pushvalue(from, -2);             /* ... t k v k */
                chloe_copy_value(to, from, depth + 1, r); /* key (never a table) */
                lua_pop(from, 1);                    /* ... t k v */
                chloe_copy_value(to, from, depth + 1, r);
                lua_rawset(to, -3);
            } else {
                r->skipped++;
            }
            lua_pop(from, 1);                        /* ... t k */
        }
        return;
    default:
        r->skipped++;
        lua_pushnil(to);
        return;
    }
}

static inline int chloe_copy_table_protected(lua_State *L) {
    chloe_copy_request *r = (chloe_copy_request *)lua_touserdata(L, 1);
    lua_rawgeti(r->from, LUA_REGISTRYINDEX, r->from_ref);
    chloe_copy_value(L, r->from, 0, r);
    lua_pop(r->from, 1);
    r->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

/**
 * Copies the table `from_ref` names in `from` into `to` (numbers, strings, booleans and nested
 * tables up to `max_depth`; functions, userdata and coroutines are skipped). Runs protected in
 * `to`; `from` is only read (raise-free) and its stack is restored even when `to` fails.
 */
static inline int chloe_copy_table(lua_State *to, chloe_copy_request *r) {
    r->ref = LUA_NOREF;
    r->skipped = 0;
    if (!lua_checkstack(r->from, 4)) return LUA_ERRMEM;
    int from_top = lua_gettop(r->from);
    int status = chloe_protect(to, chloe_copy_table_protected, r, 0);
    lua_settop(r->from, from_top);
    return status;
}

/**
 * A ring buffer of rows of doubles owned by the host (candles or trades): `values` holds
 * `capacity * columns` doubles, the oldest row at `head`. `names` names the columns;
 * `side_column` (or -1) is pushed as "buy" (> 0) / "sell" instead of a number.
 */
typedef struct chloe_series {
    const double *values;
    int capacity;
    int count;
    int head;
    int columns;
    const char *const *names;
    int side_column;
} chloe_series;

/** Pushes column `c` of a row: a number, or "buy" / "sell" for the side column. */
static inline void chloe_series_push(lua_State *L, const chloe_series *s, const double *fields, int c) {
    if (c == s->side_column) lua_pushstring(L, fields[c] > 0 ? "buy" : "sell");
    else lua_pushnumber(L, fields[c]);
}

/**
 * `history(n [, field])`: the last n rows (default all), oldest first, each a table of named
 * fields; with `field`, that column alone as a flat list (one table, no table per row).
 */
static inline int chloe_series_trampoline(lua_State *L) {
    const chloe_series *s = (const chloe_series *)lua_touserdata(L, lua_upvalueindex(1));
    lua_Integer n = luaL_optinteger(L, 1, s->count);
    if (n < 0) return luaL_error(L, "bad argument #1 (history length must be >= 0, got %I)", n);
    if (n > s->count) n = s->count;
    int column = -1;
    if (!lua_isnoneornil(L, 2)) {
        const char *field = luaL_checkstring(L, 2);
        for (int c = 0; c < s->columns; c++) {
            if (strcmp(field, s->names[c]) == 0) { column = c; break; }
        }
        if (column < 0) {
            luaL_Buffer known;
            luaL_buffinit(L, &known);
            for (int c = 0; c < s->columns; c++) {
                if (c > 0) luaL_addstring(&known, ", ");
                luaL_addstring(&known, s->names[c]);
            }
            luaL_pushresult(&known);
            return luaL_argerror(L, 2, lua_pushfstring(L, "no field '%s'; the fields are %s", field, lua_tostring(L, -1)));
        }
    }
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 0; i < n; i++) {
        int row = (int)((s->head + (s->count - n) + i) % s->capacity);
        const double *fields = s->values + (size_t)row * (size_t)s->columns;
        if (column >= 0) {
            chloe_series_push(L, s, fields, column);
            lua_rawseti(L, -2, i + 1);
            continue;
        }
        lua_createtable(L, 0, s->columns);
        for (int c = 0; c < s->columns; c++) {
            chloe_series_push(L, s, fields, c);
            lua_setfield(L, -2, s->names[c]);
        }
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/** `where(f)`: the file and first line of Lua function f ("strategy.lua", 12), or nil. */
static inline int chloe_where(lua_State *L) {
    lua_Debug ar;
    if (lua_type(L, 1) != LUA_TFUNCTION) { lua_pushnil(L); return 1; }
    lua_pushvalue(L, 1);
    if (!lua_getinfo(L, ">S", &ar) || ar.linedefined <= 0) { lua_pushnil(L); return 1; }
    lua_pushstring(L, ar.short_src);
    lua_pushinteger(L, ar.linedefined);
    return 2;
}

/** `series(p)`: the history function over the chloe_series light userdata `p` (the runtime's). */
static inline int chloe_series_maker(lua_State *L) {
    luaL_checktype(L, 1, LUA_TLIGHTUSERDATA);
    lua_settop(L, 1);
    lua_pushcclosure(L, chloe_series_trampoline, 1);
    return 1;
}

static inline lua_CFunction chloe_series_maker_function(void) { return chloe_series_maker; }

/**
 * Raise-free: overwrites t[1..n] of the table registry `ref` names with `values`. Only for a
 * table whose slots 1..n all hold numbers already (the strategy runtime's inbox, which no
 * script can reach): each store then replaces a number in place and never allocates.
 * Returns 0 (nothing written) when the stack cannot grow or `ref` is not a table.
 */
static inline int chloe_write_numbers(lua_State *L, int ref, const double *values, int n) {
    if (!lua_checkstack(L, 2)) return 0;
    if (lua_rawgeti(L, LUA_REGISTRYINDEX, ref) != LUA_TTABLE) { lua_pop(L, 1); return 0; }
    for (int i = 0; i < n; i++) {
        lua_pushnumber(L, values[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_pop(L, 1);
    return 1;
}

/** Raise-free: pushes t[i] (raw) of the table registry `ref` names; returns its type. */
static inline int chloe_rawget_index(lua_State *L, int ref, lua_Integer i) {
    if (lua_rawgeti(L, LUA_REGISTRYINDEX, ref) != LUA_TTABLE) return LUA_TNIL; /* the non-table stays pushed */
    int type = lua_rawgeti(L, -1, i);
    lua_remove(L, -2);
    return type;
}
/** The `where` function. */
static inline lua_CFunction chloe_where_function(void) { return chloe_where; }

/** rawget(table, key); a registry ref to the value in r->ref unless it is nil. r->found_type gets its type. */
static inline int chloe_field_ref_protected(lua_State *L) {
    chloe_slot_request *r = (chloe_slot_request *)lua_touserdata(L, 1);
    chloe_push_slot_table(L, r);
    chloe_push_slot_key(L, r);
    r->found_type = lua_rawget(L, -2);
    if (r->found_type != LUA_TNIL) r->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

static inline int chloe_field_ref(lua_State *L, chloe_slot_request *r) {
    r->ref = LUA_NOREF;
    r->found_type = LUA_TNONE;
    return chloe_protect(L, chloe_field_ref_protected, r, 0);
}

/** Several fields of one table: `count` names in, a registry ref and the type of each out. */
typedef struct chloe_fields_request {
    int table_ref;
    const char *const *names;
    const size_t *lengths;
    int *refs;       /* out: LUA_NOREF for a nil field, or one not reached when it fails */
    int *types;      /* out */
    int count;
} chloe_fields_request;

static inline int chloe_field_refs_protected(lua_State *L) {
    chloe_fields_request *r = (chloe_fields_request *)lua_touserdata(L, 1);
    for (int i = 0; i < r->count; i++) { r->refs[i] = LUA_NOREF; r->types[i] = LUA_TNONE; }
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->table_ref);
    for (int i = 0; i < r->count; i++) {
        lua_pushlstring(L, r->names[i], r->lengths[i]);
        r->types[i] = lua_rawget(L, -2);
        if (r->types[i] != LUA_TNIL) r->refs[i] = luaL_ref(L, LUA_REGISTRYINDEX);
        else lua_pop(L, 1);
    }
    return 0;
}

/** rawget of each name in the table `table_ref` names, a registry ref to each non-nil value: one protected call. */
static inline int chloe_field_refs(lua_State *L, chloe_fields_request *r) {
    return chloe_protect(L, chloe_field_refs_protected, r, 0);
}

/** Bytecode of a compiled text chunk, in a malloc'd buffer the caller frees with chloe_free_dump. */
typedef struct chloe_dump_request {
    const char *buffer;
    size_t length;
    const char *chunkname;
    char *data;      /* out */
    size_t size;     /* out */
    size_t capacity;
    int failed;      /* out: 1 when the output buffer could not grow */
    int strip;       /* 1: without debug information (no lines, no local names) */
} chloe_dump_request;

static inline int chloe_dump_writer(lua_State *L, const void *p, size_t size, void *ud) {
    (void)L;
    chloe_dump_request *r = (chloe_dump_request *)ud;
    if (r->size + size > r->capacity) {
        size_t capacity = r->capacity ? r->capacity : 4096;
        while (capacity < r->size + size) capacity *= 2;
        char *grown = (char *)realloc(r->data, capacity);
        if (grown == NULL) { r->failed = 1; return 1; }
        r->data = grown;
        r->capacity = capacity;
    }
    memcpy(r->data + r->size, p, size);
    r->size += size;
    return 0;
}

static inline int chloe_dump_chunk_protected(lua_State *L) {
    chloe_dump_request *r = (chloe_dump_request *)lua_touserdata(L, 1);
    if (luaL_loadbufferx(L, r->buffer, r->length, r->chunkname, "t") != LUA_OK) return lua_error(L);
    lua_dump(L, chloe_dump_writer, r, r->strip); /* scripts keep debug info: errors need file and line */
    return 0;
}

/**
 * Compiles a text chunk (without running it) and dumps its bytecode into r->data / r->size,
 * so other states can load it with chloe_load_module(mode "b") instead of parsing it again.
 * Status as chloe_protect (a syntax error comes back as the error).
 */
static inline int chloe_dump_chunk(lua_State *L, chloe_dump_request *r) {
    /* r->strip is the caller's */
    r->data = NULL;
    r->size = 0;
    r->capacity = 0;
    r->failed = 0;
    return chloe_protect(L, chloe_dump_chunk_protected, r, 0);
}

static inline void chloe_free_dump(char *data) { free(data); }

/** A chunk loaded (not run) from host-made bytecode: a registry ref to the function in r->ref. */
static inline int chloe_load_chunk_protected(lua_State *L) {
    chloe_module_request *r = (chloe_module_request *)lua_touserdata(L, 1);
    int status = luaL_loadbufferx(L, r->buffer, r->length, r->chunkname, "b");
    if (status != LUA_OK) return lua_error(L);
    r->compiled = 1;
    r->type = LUA_TFUNCTION;
    r->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

/**
 * Loads bytecode made by chloe_dump_chunk as a function without running it (a plugin the
 * sandboxed `require` runs later, in this state). Status as chloe_protect.
 */
static inline int chloe_load_chunk(lua_State *L, chloe_module_request *r) {
    r->compiled = 0;
    r->ref = LUA_NOREF;
    r->type = LUA_TNONE;
    return chloe_protect(L, chloe_load_chunk_protected, r, 0);
}

/** Strings to intern in one protected call: `count` names in, `count` registry refs out. */
typedef struct chloe_intern_request {
    const char *const *names;
    const size_t *lengths;
    int *refs;
    int count;
} chloe_intern_request;

static inline int chloe_intern_protected(lua_State *L) {
    chloe_intern_request *r = (chloe_intern_request *)lua_touserdata(L, 1);
    for (int i = 0; i < r->count; i++) r->refs[i] = LUA_NOREF;
    for (int i = 0; i < r->count; i++) {
        lua_pushlstring(L, r->names[i], r->lengths[i]);
        r->refs[i] = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    return 0;
}

/**
 * Interns `count` strings (registry refs in r->refs; LUA_NOREF for those not reached when it
 * fails). One protected call instead of one per key: state setup interns about 30 keys.
 */
static inline int chloe_intern(lua_State *L, chloe_intern_request *r) {
    return chloe_protect(L, chloe_intern_protected, r, 0);
}

#endif
