#pragma once

// The ledger's grid carbon intensities: per zone a bounded timeline of values, each holding from
// its timestamp until the next one (docs/footprint.md, "Carbon that varies"). Plain data with
// lookups; the charging rule is in LedgerFootprint.cpp.

#include "accounting/LedgerTypes.h"

#include <QJsonObject>
#include <unordered_map>
#include <vector>

namespace greenpulse::core {

class GridIntensities
{
public:
    struct Point
    {
        TimeNs fromNs = 0;  // from when it holds, as accounted (a late value: later than stamped)
        TimeNs stampNs = 0; // its own timestamp
        double gPerKwh = 0;
        QString source;
        IntensityKind kind = IntensityKind::Lifecycle;
        bool estimated = false;
        QString label; // "<source>@<zone>", what a job lists among its carbon sources
    };

    struct Zone
    {
        std::vector<Point> points;    // sorted by fromNs, at most maxValuesPerZone
        TimeNs heardNs = 0;           // latest receipt time of any message for it
        TimeNs integratedUntilNs = 0; // the latest instant charged at its values
    };

    enum class Added { Taken, Repeat, Late, Refused };

    // Takes a value heard at `heardNs` (its receipt time). A value stamped before what was
    // already integrated for its zone holds from there on (Late); an identical one only
    // refreshes the zone (Repeat); a new zone beyond `maxZones` is Refused. Counted.
    Added add(const GridIntensity &value, TimeNs heardNs, int maxZones, int maxValues);

    Zone *zone(const QString &name);
    const Zone *zone(const QString &name) const;
    // The value in force at `t` in `zone`: the last one from at or before `t`; null before the
    // first one.
    static const Point *at(const Zone &zone, TimeNs t);
    // Appends to `cuts` the instants inside (t0, t1) where `zone`'s intensity changes, and where
    // it turns stale (`staleNs` after it was last heard; 0: never).
    static void addCuts(const Zone &zone, TimeNs t0, TimeNs t1, TimeNs staleNs,
                        std::vector<TimeNs> &cuts);

    std::vector<ZoneSummary> summaries(TimeNs nowNs, TimeNs staleNs) const;
    GridCounters &counters() { return m_counters; }
    const GridCounters &counters() const { return m_counters; }

    QJsonObject toJson() const;
    void restore(const QJsonObject &json); // what toJson() wrote; anything else is skipped

private:
    std::unordered_map<QString, Zone> m_zones;
    GridCounters m_counters;
};

} // namespace greenpulse::core
