import Exchanges
import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore

/// One `/realtime/ws` client: reads its subscribe/unsubscribe/ping messages and writes what it
/// subscribed to, each message `{"type", "seq", "channel"?, "symbol"?, "data"}` with `seq`
/// counting up from 1. A client whose queue overflows is told how many messages it missed
/// (`dropped`); one that keeps overflowing is closed (1008) after a last `dropped` message.
struct RealtimeWebSocket: Sendable {
    let broadcaster: Broadcaster
    let logger: Logger
    let now: @Sendable () -> Int64

    /// Largest client message accepted.
    static let maximumMessageBytes = 16_384

    /// Serves one client until it leaves or is dropped. Its messages are written straight to
    /// `channel`, the connection's, on its event loop (``ClientFrameWriter``); this task only
    /// reads the client's requests and, when the client is evicted, closes the connection.
    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel) async {
        let broadcaster = broadcaster
        let writer = broadcaster.subscribe { id in ClientFrameWriter(id: id, channel: channel, broadcaster: broadcaster) }
        defer {
            writer.close()
            broadcaster.remove(writer.id)
        }
        do {
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(ClientFrameWriter.WritabilityWatch(writer: writer))
            }.get()
        } catch {
            logger.debug("websocket client gone before it was served", metadata: ["error": "\(error)"])
            return
        }
        _ = broadcaster.reply(writer.id, Self.reply("welcome", [
            "channels": .strings(BroadcastChannel.allCases.map(\.rawValue)), "queue_size": .int(broadcaster.capacity),
        ]))
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                guard let total = try? await writer.eviction.get(), total > 0 else { return }
                try? await outbound.close(.policyViolation, reason: "too slow: \(total) messages dropped")
                logger.notice("websocket client dropped as too slow", metadata: ["dropped": "\(total)"])
            }
            group.addTask { await receive(inbound, writer.id) }
            await group.next()
            writer.close()
            group.cancelAll()
        }
    }

    private func receive(_ inbound: WebSocketInboundStream, _ id: UInt64) async {
        do {
            for try await message in inbound.messages(maxSize: Self.maximumMessageBytes) {
                guard case .text(let text) = message else {
                    _ = broadcaster.reply(id, Self.error("binary messages are not understood; send JSON text"))
                    continue
                }
                _ = broadcaster.reply(id, handle(text, id))
            }
        } catch {
            logger.debug("websocket read ended", metadata: ["error": "\(error)"])
        }
    }

    /// The reply to one client message.
    func handle(_ text: String, _ id: UInt64) -> BroadcastMessage {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)), let fields = object as? [String: Any] else {
            return Self.error("messages must be JSON objects with a 'type': subscribe, unsubscribe or ping")
        }
        let type = fields["type"] as? String
        switch type {
        case "subscribe", "unsubscribe":
            let channels: [BroadcastChannel]?
            let symbols: [String]?
            do {
                channels = try Self.channels(fields["channels"])
                symbols = try Self.symbols(fields["symbols"])
            } catch {
                return Self.error(error.message)
            }
            let filter = broadcaster.update(id) { filter in
                if type == "subscribe" {
                    filter.channels.formUnion(channels ?? BroadcastChannel.allCases)
                    filter.symbols.formUnion(symbols ?? [])
                } else {
                    if channels == nil, symbols == nil { filter.channels = [] }
                    filter.channels.subtract(channels ?? [])
                    filter.symbols.subtract(symbols ?? [])
                }
            }
            return Self.reply("subscribed", [
                "channels": .strings(filter.channels.map(\.rawValue).sorted()), "symbols": .strings(filter.symbols.sorted()),
            ])
        case "ping":
            var data: [String: JSONValue] = ["time": .int(Int(now()))]
            if let id = fields["id"] as? String { data["id"] = .string(String(id.prefix(64))) }
            if let id = fields["id"] as? Int { data["id"] = .int(id) }
            return Self.reply("pong", data)
        default:
            return Self.error("unknown message type '\(String(describing: type ?? "none").prefix(64))'; expected subscribe, unsubscribe or ping")
        }
    }

    private static func channels(_ value: Any?) throws(APIError) -> [BroadcastChannel]? {
        guard let value else { return nil }
        guard let names = value as? [String] else { throw APIError.badRequest("'channels' must be an array of channel names") }
        return try names.map { name throws(APIError) in
            guard let channel = BroadcastChannel(rawValue: name) else {
                throw APIError.badRequest("unknown channel '\(name.prefix(64))'; expected \(BroadcastChannel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return channel
        }
    }

    private static func symbols(_ value: Any?) throws(APIError) -> [String]? {
        guard let value else { return nil }
        guard let names = value as? [String], names.allSatisfy({ (1...SymbolListRequest.maximumSymbolLength).contains($0.count) }),
              names.count <= SymbolListRequest.maximumSymbols else {
            throw APIError.badRequest("'symbols' must be an array of symbol names of 1 to \(SymbolListRequest.maximumSymbolLength) characters")
        }
        return names
    }

    static func reply(_ type: String, _ data: [String: JSONValue]) -> BroadcastMessage {
        let encoded = (try? RecordCoding.makeEncoder().encode(data)).map { [UInt8]($0) } ?? Array("{}".utf8)
        return BroadcastMessage(type: type, channel: nil, symbol: nil, data: encoded)
    }

    static func error(_ message: String) -> BroadcastMessage { reply("error", ["message": .string(message)]) }

    /// The frame text: the client's `seq` in front of the envelope the message built once.
    static func frame(_ message: BroadcastMessage, seq: Int64, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: message.type.utf8.count + message.tail.count + 32)
        buffer.writeStaticString("{\"type\":\"")
        buffer.writeString(message.type)
        buffer.writeStaticString("\",\"seq\":")
        buffer.writeString(String(seq))
        buffer.writeBytes(message.tail)
        return buffer
    }
}

/// A small JSON value for control replies.
enum JSONValue: Encodable, Sendable {
    case string(String), int(Int), strings([String])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .strings(let value): try container.encode(value)
        }
    }
}
