import CLua
import Foundation

/// Loading scripts: compile a text chunk (binary chunks are refused) and run it once under
/// the instruction budget, defining the script's globals.
extension LuaState {
    /// Compiles and runs `source` as a chunk named `name` (the name errors point into).
    ///
    /// - Throws: ``LuaError/Code/syntax`` when it does not compile or is a binary chunk;
    ///   a runtime, budget or memory error when running its top level fails.
    public func load(source: String, name: String) throws(LuaError) {
        var source = source
        let outcome: LuaError? = source.withUTF8 { bytes in
            do throws(LuaError) {
                try load(bytes: UnsafeRawBufferPointer(bytes), name: name)
                return nil
            } catch {
                return error
            }
        }
        if let outcome { throw outcome }
    }

    /// Reads, compiles and runs the script at `file`. Errors point into `name`, by default
    /// the file's name (for example `strategy.lua:12:`).
    ///
    /// - Throws: ``LuaError/Code/unreadableFile`` when the file cannot be read, otherwise as
    ///   ``load(source:name:)``.
    public func load(file: URL, name: String? = nil) throws(LuaError) {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw .unreadableFile(file.path, reason: (error as NSError).localizedDescription)
        }
        let outcome: LuaError? = data.withUnsafeBytes { bytes in
            do throws(LuaError) {
                try load(bytes: bytes, name: name ?? file.lastPathComponent)
                return nil
            } catch {
                return error
            }
        }
        if let outcome { throw outcome }
    }

    /// Compiles `bytes` as a text chunk and runs it (both under protection, in C).
    func load(bytes: UnsafeRawBufferPointer, name: String) throws(LuaError) {
        let base = enter()
        defer { leave(base) }
        // "=name": Lua shows the name verbatim in messages ("name:3: ...").
        try withCString("=" + name) { chunkName, _ throws(LuaError) in
            var compiled: Int32 = 0
            let start = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
            let status = chloe_load_text(handle, start, bytes.count, chunkName, &compiled)
            try check(status, phase: compiled == 0 ? .compile : .run)
        }
    }
}
