#pragma once

// What the dashboard's two CSV files share (docs/dashboard.md): the jobs table's export
// (JobsTableModelCsv.cpp) and a job's report (JobReportWriter). A key names the same value in
// both, and is spelt here only; the footprint keys are the processor's summary keys.

#include "accounting/LedgerTypes.h"

#include <QLatin1String>
#include <QString>

namespace greenpulse::app::jobcsv {

inline constexpr QLatin1String kJobId("job_id");
inline constexpr QLatin1String kHosts("hosts");
inline constexpr QLatin1String kStatus("status");
inline constexpr QLatin1String kStartUtc("start_utc");
inline constexpr QLatin1String kEndUtc("end_utc");
inline constexpr QLatin1String kDurationS("duration_s");
inline constexpr QLatin1String kKwh("kwh");
inline constexpr QLatin1String kCo2eKg("co2e_kg");
inline constexpr QLatin1String kLiters("liters");
inline constexpr QLatin1String kAvgWatts("avg_watts");
inline constexpr QLatin1String kPeakWatts("peak_watts");
inline constexpr QLatin1String kCoverage("coverage");
inline constexpr QLatin1String kExitCode("exit_code");
inline constexpr QLatin1String kFacilityKwh("facility_kwh");
inline constexpr QLatin1String kWaterOnsiteL("water_onsite_l");
inline constexpr QLatin1String kWaterOffsiteL("water_offsite_l");
inline constexpr QLatin1String kEmbodiedCo2eKg("embodied_co2e_kg");
inline constexpr QLatin1String kSciCo2eKg("sci_co2e_kg");

// A job's report only (JobReport::factors, the coverage rows).
inline constexpr QLatin1String kPue("pue");
inline constexpr QLatin1String kCarbonMin("carbon_min_g_per_kwh");
inline constexpr QLatin1String kCarbonMax("carbon_max_g_per_kwh");
inline constexpr QLatin1String kCarbonMean("carbon_mean_g_per_kwh");
inline constexpr QLatin1String kCarbonConstant("carbon_constant_g_per_kwh");
inline constexpr QLatin1String kCarbonStaleS("carbon_stale_host_s");
inline constexpr QLatin1String kCarbonFallbackS("carbon_fallback_host_s");
inline constexpr QLatin1String kWue("wue_l_per_kwh");
inline constexpr QLatin1String kEwif("ewif_l_per_kwh");
inline constexpr QLatin1String kEmbodiedKgPerHost("embodied_kg_per_host");
inline constexpr QLatin1String kLifetimeYears("lifetime_years");
inline constexpr QLatin1String kCoveredS("covered_host_s");
inline constexpr QLatin1String kUncoveredS("uncovered_host_s");
inline constexpr QLatin1String kSilentS("silent_host_s");
inline constexpr QLatin1String kWaterCoverage("water_coverage");
inline constexpr QLatin1String kMaxGapS("max_gap_s");

// The status column: "running", "ended", or the idle pseudo-job's name.
QString status(const core::JobSummary &job);
// A field quoted when it holds a comma, a quote or a line break (RFC 4180).
QString field(QString text);
// ISO 8601 UTC with milliseconds; empty for 0 (unknown, or still running).
QString isoTime(core::TimeNs ns);
QString isoTimeMs(double ms);
// The shortest text that reads back as the same double: the value to the last digit.
QString exact(double value);

} // namespace greenpulse::app::jobcsv
