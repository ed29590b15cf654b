#pragma once

// The footprint's settings beyond energy (docs/footprint.md): where a host draws its power from
// (its grid zone), when a zone's intensity feed counts as stale, the water factors (WUE on site,
// EWIF off site) and each host's embodied carbon. The defaults here are the programs' defaults
// (the option table, core/options/OptionTable.cpp, reads them).

#include <QHash>
#include <QString>

namespace greenpulse::core {

struct FootprintConfig
{
    // Water consumed per kWh, Li et al., "Making AI Less Thirsty" (arXiv 2304.03271), the U.S.
    // averages: on site (cooling towers) per IT kWh, off site (generating the electricity) per
    // facility kWh.
    static constexpr double kUsAverageWueLPerKwh = 0.55;
    static constexpr double kUsAverageEwifLPerKwh = 3.14;

    QString gridZone;               // every host without a zone of its own; empty: none
    double gridStaleSeconds = 7200; // a zone not heard from this long is stale (0: never)
    double wueLPerKwh = kUsAverageWueLPerKwh;
    double ewifLPerKwh = kUsAverageEwifLPerKwh;
    double embodiedKg = 0;       // every host not in hostEmbodiedKg; 0: off
    double lifetimeYears = 4;    // every host not in hostLifetimeYears
    int maxGridZones = 1000;     // zones kept; values for more are refused (counted)
    int maxValuesPerZone = 1000; // intensity values kept per zone; the oldest go (counted)

    // Config-file sections ([host-zones], [zone-wue], [zone-ewif], [host-embodied-kg],
    // [host-lifetime-years]; docs/footprint.md).
    QHash<QString, QString> hostZones;
    QHash<QString, double> zoneWue;
    QHash<QString, double> zoneEwif;
    QHash<QString, double> hostEmbodiedKg;
    QHash<QString, double> hostLifetimeYears;

    friend bool operator==(const FootprintConfig &a, const FootprintConfig &b)
    {
        return a.gridZone == b.gridZone && a.gridStaleSeconds == b.gridStaleSeconds &&
               a.wueLPerKwh == b.wueLPerKwh && a.ewifLPerKwh == b.ewifLPerKwh &&
               a.embodiedKg == b.embodiedKg && a.lifetimeYears == b.lifetimeYears &&
               a.maxGridZones == b.maxGridZones && a.maxValuesPerZone == b.maxValuesPerZone &&
               a.hostZones == b.hostZones && a.zoneWue == b.zoneWue && a.zoneEwif == b.zoneEwif &&
               a.hostEmbodiedKg == b.hostEmbodiedKg && a.hostLifetimeYears == b.hostLifetimeYears;
    }
    friend bool operator!=(const FootprintConfig &a, const FootprintConfig &b) { return !(a == b); }
};

} // namespace greenpulse::core
