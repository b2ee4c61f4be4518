import Scripting

extension ShadowReport.Comparison {
    /// The runtime's comparison of one symbol.
    init(_ comparison: ShadowComparison) {
        self.init(liveVersion: comparison.liveVersion, shadowVersion: comparison.shadowVersion, events: comparison.events,
                  levelDifferences: comparison.levelDifferences, alertDifferences: comparison.alertDifferences,
                  recent: comparison.recent.map {
                      ShadowReport.Difference(time: $0.time, trigger: $0.trigger, liveLevel: $0.liveLevel?.name,
                                              shadowLevel: $0.shadowLevel?.name, liveAlerts: $0.liveAlerts, shadowAlerts: $0.shadowAlerts)
                  })
    }
}
