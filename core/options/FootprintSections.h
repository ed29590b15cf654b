#pragma once

// The footprint's per-host and per-zone maps, read from config-file sections (docs/footprint.md,
// "Configuration"):
//   [host-zones]          host = zone
//   [zone-wue]            zone = on-site L per IT kWh
//   [zone-ewif]           zone = off-site L per facility kWh
//   [host-embodied-kg]    host = kg CO2e embodied
//   [host-lifetime-years] host = years
// Keys arrive as "<section>/<key>" (QSettings' INI groups).

#include "accounting/FootprintConfig.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <optional>

namespace greenpulse::core::footprintsections {

inline constexpr double kMaxWaterLPerKwh = 100;
inline constexpr double kMaxEmbodiedKg = 1e6;
inline constexpr double kMinLifetimeYears = 0.1;
inline constexpr double kMaxLifetimeYears = 50;

// The first bad entry, e.g. "[zone-wue] DE: must be a number from 0 to 100, got \"x\"".
std::optional<QString> problem(const QHash<QString, QString> &config);
// Fills the maps of `fp` from the sections (entries that problem() refuses are skipped).
void apply(const QHash<QString, QString> &config, FootprintConfig *fp);
// One line per entry, "[section] key=value  (config file)", for --print-config.
QStringList describe(const QHash<QString, QString> &config);

} // namespace greenpulse::core::footprintsections
