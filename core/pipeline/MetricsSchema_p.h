#pragma once

// The InfluxDB schema GreenPulse writes (docs/influxdb-schema.md). One place, used by the
// processor and checked by the Grafana dashboard test.

#include "accounting/Ledger.h"

#include <QByteArray>

namespace greenpulse::core::schema {

inline constexpr const char *kFootprint = "environmental_footprint"; // tag job_id
inline constexpr const char *kHostTelemetry = "host_telemetry";      // tag host
inline constexpr const char *kJobEvents = "job_events";              // tags job_id, host
inline constexpr const char *kProcessorStats = "processor_stats";
inline constexpr const char *kAllHosts = "all"; // job_events host tag of a job on every host

// Tag keys, and the fields the charts also read back (SeriesHistory): spelled here only.
inline constexpr char16_t kJobIdTag[] = u"job_id";
inline constexpr char16_t kHostTag[] = u"host";
inline constexpr char16_t kCumulativeKwh[] = u"cumulative_kwh";
inline constexpr char16_t kCumulativeCo2eKg[] = u"cumulative_co2e_kg";
inline constexpr char16_t kCumulativeLiters[] = u"cumulative_liters";
inline constexpr char16_t kWatts[] = u"watts";
inline constexpr char16_t kFlowLpm[] = u"flow_lpm";
inline constexpr char16_t kTempC[] = u"temp_c";

// environmental_footprint,job_id=<id> cumulative_kwh=,cumulative_co2e_kg=,cumulative_liters=,
// current_watts=,coverage=,running=1|0,facility_kwh=,water_onsite_l=,water_offsite_l=,
// embodied_co2e_kg=,sci_co2e_kg= <ns>
QByteArray footprintLine(const JobSummary &job, TimeNs atNs);
// host_telemetry,host=<host> watts=,flow_lpm=,temp_c= <ns> (fields present only when known)
QByteArray hostLine(const HostSummary &host, TimeNs atNs);
// job_events,host=<host|all>,job_id=<id> status="start"|"end",running=1|0[,exit_code=<n>i] <ns>
QByteArray jobEventLine(const QString &jobId, const QString &host, bool started,
                        std::optional<int> exitCode, TimeNs atNs);
// processor_stats messages_accepted=<n>i,messages_rejected=<n>i <ns>
QByteArray statsLine(quint64 accepted, quint64 rejected, TimeNs atNs);

} // namespace greenpulse::core::schema
