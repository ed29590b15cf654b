#include "influx/LineProtocol.h"
#include "pipeline/MetricsSchema_p.h"

namespace greenpulse::core::schema {

using lineprotocol::Point;

QByteArray footprintLine(const JobSummary &job, TimeNs atNs)
{
    return Point(QString::fromLatin1(kFootprint))
        .tag(kJobIdTag, job.jobId)
        .field(kCumulativeKwh, job.kwh)
        .field(kCumulativeCo2eKg, job.co2eKg)
        .field(kCumulativeLiters, job.liters)
        .field(u"current_watts", job.currentWatts)
        .field(u"coverage", job.coverage)
        .field(u"running", job.running ? 1.0 : 0.0)
        .field(u"facility_kwh", job.footprint.facilityKwh)
        .field(u"water_onsite_l", job.footprint.waterOnsiteL)
        .field(u"water_offsite_l", job.footprint.waterOffsiteL)
        .field(u"embodied_co2e_kg", job.footprint.embodiedKg)
        .field(u"sci_co2e_kg", job.sciKg())
        .timestamp(atNs)
        .toLine();
}

QByteArray hostLine(const HostSummary &host, TimeNs atNs)
{
    Point p(QString::fromLatin1(kHostTelemetry));
    p.tag(kHostTag, host.host);
    if (host.hasPower) {
        p.field(kWatts, host.watts);
    }
    if (host.hasFlow) {
        p.field(kFlowLpm, host.flowLpm);
        p.field(kTempC, host.tempC);
    }
    return p.timestamp(atNs).toLine();
}

QByteArray jobEventLine(const QString &jobId, const QString &host, bool started,
                        std::optional<int> exitCode, TimeNs atNs)
{
    Point p(QString::fromLatin1(kJobEvents));
    p.tag(kJobIdTag, jobId)
        .tag(kHostTag, host.isEmpty() ? QString::fromLatin1(kAllHosts) : host)
        .field(u"status", started ? QStringView(u"start") : QStringView(u"end"))
        .field(u"running", started ? 1.0 : 0.0);
    if (exitCode) {
        p.field(u"exit_code", static_cast<qint64>(*exitCode));
    }
    return p.timestamp(atNs).toLine();
}

QByteArray statsLine(quint64 accepted, quint64 rejected, TimeNs atNs)
{
    return Point(QString::fromLatin1(kProcessorStats))
        .field(u"messages_accepted", static_cast<qint64>(accepted))
        .field(u"messages_rejected", static_cast<qint64>(rejected))
        .timestamp(atNs)
        .toLine();
}

} // namespace greenpulse::core::schema
