import Testing
@testable import Host

@Test func versionIsSemantic() {
    #expect(chloeVersion.split(separator: ".").count == 3)
}
