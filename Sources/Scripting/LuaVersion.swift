import CLua

/// The Lua version Chloe embeds, e.g. "Lua 5.4".
public let luaVersion = LUA_VERSION_MAJOR + "." + LUA_VERSION_MINOR
