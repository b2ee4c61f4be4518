import Exchanges
import Foundation
import NIOCore
@testable import Host
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import Testing

@Suite struct APIWebSocketTests {
    @Test func subscribersGetTheirChannelsAndSymbolsWithSequenceNumbers() async throws {
        let fixture = try APIFixture()
        let broadcaster = fixture.broadcaster
        let received = Locked<[[String: Any]]>([])
        try await fixture.app().test(.live) { client in
            guard let port = client.port else { return }
            try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/realtime/ws", logger: Logger(label: "ws-test")) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                func next() async throws -> [String: Any] {
                    guard case .text(let text) = try await messages.next() else { return [:] }
                    let object = (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
                    received.withLock { $0.append(object) }
                    return object
                }
                #expect(try await next()["type"] as? String == "welcome")
                try await outbound.write(.text(#"{"type": "subscribe", "channels": ["signals"], "symbols": ["BTC/USDT"]}"#))
                let subscribed = try await next()
                #expect(subscribed["type"] as? String == "subscribed")
                #expect((subscribed["data"] as? [String: Any])?["symbols"] as? [String] == ["BTC/USDT"])
                broadcaster.publish(Records.signal("ETH/USDT", time: 1))
                broadcaster.publish(Records.alert(time: 1))
                broadcaster.publish(Records.signal("BTC/USDT", time: 2))
                let signal = try await next()
                #expect(signal["type"] as? String == "signal")
                #expect(signal["symbol"] as? String == "BTC/USDT")
                #expect((signal["data"] as? [String: Any])?["time"] as? Int == 2)
                try await outbound.write(.text(#"{"type": "ping", "id": "p1"}"#))
                let pong = try await next()
                #expect(pong["type"] as? String == "pong")
                #expect((pong["data"] as? [String: Any])?["id"] as? String == "p1")
                try await outbound.write(.text(#"{"type": "subscribe", "channels": ["trades"]}"#))
                let error = try await next()
                #expect(error["type"] as? String == "error")
                #expect(((error["data"] as? [String: Any])?["message"] as? String)?.contains("unknown channel") == true)
                try await outbound.write(.text("not json"))
                #expect(try await next()["type"] as? String == "error")
                try await outbound.close(.normalClosure, reason: nil)
            }
        }
        let seqs = received.withLock { $0.compactMap { $0["seq"] as? Int } }
        #expect(seqs == Array(1...seqs.count))
        #expect(seqs.count == 6)
    }
}

@Suite struct BroadcasterTests {
    /// Over a real socket: a client that stops reading fills its socket and then its queue of 4;
    /// once it has missed 4 messages it gets a last `dropped` message and a close (1008), and
    /// everything before that arrives in order, numbered without a gap.
    @Test func aClientThatStopsReadingIsToldWhatItMissedAndClosed() async throws {
        let fixture = try APIFixture(capacity: 4)
        let broadcaster = fixture.broadcaster
        let padding = String(repeating: "x", count: 100_000)
        try await fixture.app().test(.live) { client in
            let port = try #require(client.port)
            let close = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/realtime/ws", configuration: .init(maxFrameSize: 1 << 20),
                                                          logger: Logger(label: "ws-test")) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                func next() async throws -> [String: Any]? {
                    guard case .text(let text) = try await messages.next() else { return nil }
                    return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                }
                #expect(try await next()?["type"] as? String == "welcome")
                try await outbound.write(.text(#"{"type": "subscribe", "channels": ["signals"]}"#))
                #expect(try await next()?["type"] as? String == "subscribed")
                // Not reading now: published one at a time, the messages fill the socket's buffers,
                // then the queue, then overflow it.
                var published = 0
                for index in 0..<1_000 where broadcaster.subscriberCount > 0 {
                    broadcaster.publish(on: .signals, symbol: "BTC/USDT") { Array(#"{"index":\#(index),"padding":"\#(padding)"}"#.utf8) }
                    published += 1
                    try await Task.sleep(for: .milliseconds(1))
                    if index > 600 { Issue.record("not evicted after \(index) messages of 100 kB"); break }
                    // The client is the fresh broadcaster's first subscriber: id 1.
                    if broadcaster.takeDropped(1).evicted { break }
                }
                var seqs: [Int] = [], indexes: [Int] = [], last: [String: Any] = [:]
                while let message = try await next() {
                    seqs.append(try #require(message["seq"] as? Int))
                    if message["type"] as? String == "signal" {
                        indexes.append(try #require((message["data"] as? [String: Any])?["index"] as? Int))
                    }
                    last = message
                }
                // In order, numbered without a gap; on a busy machine a message can also be dropped
                // before the socket is full (the loop drains later than the queue fills).
                #expect(seqs == Array(3..<(3 + seqs.count)))
                #expect(zip(indexes, indexes.dropFirst()).allSatisfy { $0 < $1 })
                #expect(last["type"] as? String == "dropped")
                let data = try #require(last["data"] as? [String: Any])
                // The last message counts every message the client did not get: dropped or still queued.
                let missed = try #require(data["dropped"] as? Int)
                #expect(missed >= 4)
                #expect(indexes.count + missed == published)
                #expect((data["reason"] as? String)?.hasPrefix("too slow") == true)
            }
            #expect(close?.closeCode == .policyViolation)
        }
    }

    @Test func aSlowSubscriberIsToldWhatItMissedAndEvicted() async throws {
        let broadcaster = Broadcaster(capacity: 4, evictAfterDrops: 3)
        let slow = broadcaster.subscribe()
        _ = slow.update { $0.channels = [.signals] }
        for index in 0..<6 { broadcaster.publish(Records.signal(time: Int64(index))) }
        var drops = slow.takeDropped()
        #expect(drops.dropped == 2)
        #expect(drops.evicted == false)
        broadcaster.publish(Records.signal(time: 6))
        drops = slow.takeDropped()
        #expect(drops.total == 3)
        #expect(drops.evicted)
        var delivered: [Int64] = []
        for await message in slow.stream {
            delivered.append(Int64(message.json.split(separator: "\"time\":")[1].prefix { $0.isNumber })!)
        }
        #expect(delivered == [0, 1, 2, 3])
    }

    @Test func publishingSkipsUninterestedSubscribersAndNeverWaits() async throws {
        let broadcaster = Broadcaster(capacity: 2)
        let alertsOnly = broadcaster.subscribe()
        _ = alertsOnly.update { $0.channels = [.alerts]; $0.symbols = ["ETH/USDT"] }
        for index in 0..<1000 { broadcaster.publish(Records.signal(time: Int64(index))) }
        broadcaster.publish(Records.alert("BTC/USDT", time: 1))
        broadcaster.publish(Records.alert("ETH/USDT", time: 2))
        #expect(alertsOnly.takeDropped().total == 0)
        alertsOnly.cancel()
        var messages: [BroadcastMessage] = []
        for await message in alertsOnly.stream { messages.append(message) }
        #expect(messages.map(\.type) == ["alert"])
        #expect(messages.map(\.symbol) == ["ETH/USDT"])
        #expect(broadcaster.subscriberCount == 0)
    }
}

@Suite struct BroadcastJSONTests {
    static let values: [Double] = [0, -0.0, 1, -1, 101.5, 0.1, 0.30000000000000004, 1e-05, 2.5e-7, 42_000.25, 123_456_789.123,
                                   1e15, 1e16, 1.5e21, .leastNonzeroMagnitude, .greatestFiniteMagnitude]

    @Test func ticksAndTradesWrittenByHandAreWhatTheEncoderWrites() throws {
        let encoder = RecordCoding.makeEncoder()
        func encoded(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        for value in Self.values {
            let tick = TickMessage(symbol: "BTC/USDT", exchange: "binance",
                                   RecentTick(time: 1_700_000_000_123, last: value, bid: -value, ask: .nan, bidSize: value, askSize: .nan))
            #expect(String(decoding: tick.bytes, as: UTF8.self) == (try encoded(tick)))
            let trade = TradeMessage(symbol: "ETH/USDT", exchange: "kraken", RecentTrade(time: -5, price: value, size: value / 3, takerBuys: value > 0))
            #expect(String(decoding: trade.bytes, as: UTF8.self) == (try encoded(trade)))
        }
        let bare = TickMessage(symbol: "X/Y", exchange: "sim", RecentTick(time: 0))
        #expect(String(decoding: bare.bytes, as: UTF8.self) == #"{"exchange":"sim","kind":"ticker","symbol":"X/Y","time":0}"#)
    }

    @Test func stringsAreEscapedSoTheyReadBackWhole() throws {
        let encoder = RecordCoding.makeEncoder()
        // Both forms: the text one (stored records) and the UTF-8 one (published ticks, envelopes).
        func quoted(_ name: String) -> [String] {
            var text = "", bytes: [UInt8] = []
            JSONWriter.appendQuoted(name, to: &text)
            JSONWriter.appendQuoted(name, to: &bytes)
            return [text, String(decoding: bytes, as: UTF8.self)]
        }
        for name in ["BTC/USDT", #"a"b"#, #"back\slash"#, "ünïcødé €", "line\nbreak\ttab\r"] {
            let expected = String(decoding: try encoder.encode(name), as: UTF8.self)
            #expect(quoted(name) == [expected, expected])
        }
        for name in ["nul\u{0}", "bell\u{7}", "\u{8}\u{c}\u{1f}"] {
            for form in quoted(name) {
                #expect(try JSONSerialization.jsonObject(with: Data("[\(form)]".utf8)) as? [String] == [name])
            }
        }
        let message = BroadcastMessage(type: "tick", channel: .ticks, symbol: #"odd"name"#, data: Array("{}".utf8))
        let frame = try JSONSerialization.jsonObject(with: Data(RealtimeWebSocket.frame(message, seq: 7, allocator: ByteBufferAllocator()).readableBytesView)) as? [String: Any]
        #expect(frame?["symbol"] as? String == #"odd"name"#)
        #expect(frame?["seq"] as? Int == 7)
    }
}
