import Testing
@testable import Exchanges

@Suite struct RFC3339Tests {
    private func ms(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { RFC3339.milliseconds(UnsafeRawBufferPointer($0)) }
    }

    @Test func readsTimestamps() {
        #expect(ms("1970-01-01T00:00:00Z") == 0)
        #expect(ms("2026-08-09T21:05:48.228846629Z") == 1_786_309_548_228)
        #expect(ms("2023-09-25T09:04:31.742648Z") == 1_695_632_671_742)
        #expect(ms("2021-04-17T16:43:37.1Z") == 1_618_677_817_100)
        #expect(ms("2023-10-06T19:35:55+02:00") == ms("2023-10-06T17:35:55Z"))
        #expect(ms("2000-02-29T00:00:00Z") == 951_782_400_000)
    }

    @Test(arguments: ["", "2026-08-09", "2026-08-09T21:05:48", "2026-13-09T21:05:48Z", "2026-08-09T25:05:48Z",
                      "2026-08-09T21:05:48.Z", "2026-08-09 21:05:48.854840045 +0000 UTC", "2026-08-09T21:05:48Zjunk"])
    func refusesOtherText(_ text: String) {
        #expect(ms(text) == nil)
    }
}
