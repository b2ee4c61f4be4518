import Testing
import Model

@Suite struct RatingLevelTests {
    @Test func scoresNamesAndClassIndicesAgree() {
        #expect(RatingLevel.allCases.map(\.score) == [-2, -1, 0, 1, 2])
        #expect(RatingLevel.allCases.map(\.name) == ["strong_sell", "sell", "neutral", "buy", "strong_buy"])
        for level in RatingLevel.allCases {
            #expect(RatingLevel(score: level.score) == level)
            #expect(RatingLevel(name: level.name) == level)
        }
        #expect(RatingLevel(score: 3) == nil)
        #expect(RatingLevel(name: "hold") == nil)
    }
}
