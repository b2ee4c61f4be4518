/// Named indicator values at one moment (`rsi`, `macd.hist`): what a strategy had read when it
/// made a signal, in the order it declared its indicators.
///
/// Built once per signal without hashing anything. The names array can be shared by every
/// signal of one strategy (one array, retained), so only the values are new. Two readings are
/// equal when they hold the same names with the same values, in any order. They encode as a
/// JSON object, `{"rsi": 28.1, "macd.hist": -0.4}`, exactly as a `[String: Double]` does.
public struct IndicatorReadings: Sendable, Hashable, Codable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    public typealias Element = (name: String, value: Double)

    /// The names, one per value; unique.
    public private(set) var names: [String]
    /// The values, `values[i]` being the value of `names[i]`.
    public private(set) var values: [Double]

    /// No readings.
    public init() {
        names = []
        values = []
    }

    /// Readings from parallel arrays; `names` must be unique and as long as `values`.
    public init(names: [String], values: [Double]) {
        precondition(names.count == values.count, "IndicatorReadings: \(names.count) names for \(values.count) values")
        self.names = names
        self.values = values
    }

    /// The readings of a dictionary, in name order.
    public init(_ dictionary: [String: Double]) {
        let pairs = dictionary.sorted { $0.key < $1.key }
        names = pairs.map(\.key)
        values = pairs.map(\.value)
    }

    public init(dictionaryLiteral elements: (String, Double)...) {
        names = []
        values = []
        for (name, value) in elements { self[name] = value }
    }

    /// The same readings as a dictionary.
    public var dictionary: [String: Double] {
        Dictionary(zip(names, values), uniquingKeysWith: { _, last in last })
    }

    /// The value named `name`, if there is one. Setting nil removes it; setting a new name
    /// appends it.
    public subscript(name: String) -> Double? {
        get {
            guard let index = names.firstIndex(of: name) else { return nil }
            return values[index]
        }
        set {
            let index = names.firstIndex(of: name)
            switch (index, newValue) {
            case let (index?, value?):
                values[index] = value
            case let (index?, nil):
                names.remove(at: index)
                values.remove(at: index)
            case let (nil, value?):
                names.append(name)
                values.append(value)
            case (nil, nil):
                break
            }
        }
    }

    // MARK: Collection

    public var startIndex: Int { 0 }
    public var endIndex: Int { names.count }
    public subscript(position: Int) -> Element { (names[position], values[position]) }

    // MARK: Hashable, whatever the order

    public static func == (lhs: Self, rhs: Self) -> Bool {
        guard lhs.names.count == rhs.names.count else { return false }
        if lhs.names == rhs.names { return lhs.values == rhs.values }
        for (name, value) in lhs {
            guard let other = rhs[name], other == value else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // the sum of each pair's own hash does not depend on the order (as `Set` hashes)
        var sum = 0
        for (name, value) in self {
            var pair = Hasher()
            pair.combine(name)
            pair.combine(value)
            sum &+= pair.finalize()
        }
        hasher.combine(names.count)
        hasher.combine(sum)
    }

    // MARK: Codable, as a dictionary

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([String: Double].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(dictionary)
    }
}
