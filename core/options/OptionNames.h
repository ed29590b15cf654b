#pragma once

// The names of the options every program shares (the rows of OptionTable.cpp). Code that reads
// or edits one of them (Options, the dashboard's settings) names it by these constants, so each
// name is spelled once. The environment variable is GREENPULSE_<NAME> (Options::environmentName).

#include <QLatin1String>

namespace greenpulse::core::opt {

inline constexpr QLatin1String kConfig("config");
inline constexpr QLatin1String kPrintConfig("print-config");
// Mqtt
inline constexpr QLatin1String kBroker("broker");
inline constexpr QLatin1String kClientId("client-id");
inline constexpr QLatin1String kUsername("username");
inline constexpr QLatin1String kPassword("password");
inline constexpr QLatin1String kCaFile("ca-file");
// Host
inline constexpr QLatin1String kHost("host");
// Publishing
inline constexpr QLatin1String kIntervalMs("interval-ms");
inline constexpr QLatin1String kCount("count");
// Influx
inline constexpr QLatin1String kInfluxUrl("influx-url");
inline constexpr QLatin1String kInfluxApi("influx-api");
inline constexpr QLatin1String kInfluxOrg("influx-org");
inline constexpr QLatin1String kInfluxBucket("influx-bucket");
inline constexpr QLatin1String kInfluxDb("influx-db");
inline constexpr QLatin1String kInfluxRp("influx-rp");
inline constexpr QLatin1String kInfluxToken("influx-token");
inline constexpr QLatin1String kInfluxUser("influx-user");
inline constexpr QLatin1String kInfluxPassword("influx-password");
inline constexpr QLatin1String kSpoolDir("spool-dir");
inline constexpr QLatin1String kInfluxWriter("influx-writer");
inline constexpr QLatin1String kSpoolMaxMb("spool-max-mb");
// Ledger
inline constexpr QLatin1String kMaxGapS("max-gap-s");
inline constexpr QLatin1String kPue("pue");
inline constexpr QLatin1String kCarbonIntensity("carbon-intensity");
inline constexpr QLatin1String kMaxClockAheadS("max-clock-ahead-s");
inline constexpr QLatin1String kMaxClockBehindS("max-clock-behind-s");
inline constexpr QLatin1String kMaxHosts("max-hosts");
inline constexpr QLatin1String kMaxJobs("max-jobs");
inline constexpr QLatin1String kMaxNewIdsPerMinute("max-new-ids-per-minute");
inline constexpr QLatin1String kHostExpiryS("host-expiry-s");
inline constexpr QLatin1String kStateFile("state-file");
inline constexpr QLatin1String kLegacyControl("legacy-control");
// Footprint (docs/footprint.md); the per-host and per-zone maps are config-file sections
// (FootprintSections.h).
inline constexpr QLatin1String kGridZone("grid-zone");
inline constexpr QLatin1String kGridStaleS("grid-stale-s");
inline constexpr QLatin1String kWue("wue");
inline constexpr QLatin1String kEwif("ewif");
inline constexpr QLatin1String kEmbodiedKg("embodied-kg");
inline constexpr QLatin1String kLifetimeYears("lifetime-years");
inline constexpr QLatin1String kStaleAfterS("stale-after-s");
// LedgerFeed (the processor publishes its ledger) and Follow (the dashboard shows one)
inline constexpr QLatin1String kProcessorName("processor-name");
inline constexpr QLatin1String kLedgerIntervalS("ledger-interval-s");
inline constexpr QLatin1String kFollow("follow");

} // namespace greenpulse::core::opt
