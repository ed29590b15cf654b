#include "widgets/JobReport.h"

#include "accounting/LedgerConfig.h"
#include "charts/ChartPalette.h"
#include "charts/SeriesRuns.h"
#include "pipeline/ProcessorSnapshot.h"
#include "pipeline/SeriesKeys.h"
#include "pipeline/SeriesStore.h"
#include "runtime/Format.h"
#include "widgets/JobCsv.h"

#include <QCoreApplication>
#include <QDateTime>
#include <algorithm>

namespace greenpulse::app {

namespace {

using Factor = JobReport::Factor;

QString tr(const char *text)
{
    return QCoreApplication::translate("JobReport", text);
}

// The job's hosts: those whose energy went to it, then those its start named that never did.
QStringList hostsOf(const core::JobSummary &job)
{
    QStringList hosts = job.hosts;
    QStringList named = job.targetHosts;
    if (named.isEmpty() && !job.targetHost.isEmpty()) {
        named << job.targetHost;
    }
    for (const QString &host : named) {
        if (!hosts.contains(host)) {
            hosts << host;
        }
    }
    return hosts;
}

QStringList gpusOf(const core::JobSummary &job, const QString &host)
{
    QStringList gpus = job.gpus.value(host);
    for (const QString &gpu : job.gpus.value(QString())) { // "every host"
        if (!gpus.contains(gpu)) {
            gpus << gpu;
        }
    }
    return gpus;
}

QVector<Factor> carbonFactors(const core::JobSummary &job, const core::LedgerConfig &config)
{
    const core::JobFootprint &f = job.footprint;
    const double constantG = config.carbonKgPerKwh * 1000;
    QString sources = f.sources.join(QStringLiteral(", "));
    if (f.moreSources > 0) {
        sources += tr(" and %1 more").arg(f.moreSources);
    }
    if (!f.hasIntensity) {
        sources = tr("none charged yet (the constant applies)");
    }
    const QString unit = QStringLiteral("g CO₂e/kWh");
    const QString constantSource =
        config.carbonKgPerKwh == core::LedgerConfig{}.carbonKgPerKwh
            ? tr("--carbon-intensity, the default: a placeholder with no known source "
                 "(docs/footprint.md)")
            : tr("--carbon-intensity: hosts without a zone, or before its first value");
    using namespace jobcsv;
    return {
        {kCarbonMin, tr("Carbon intensity, lowest"), f.hasIntensity ? f.minGPerKwh : constantG,
         unit, sources},
        {kCarbonMax, tr("Carbon intensity, highest"), f.hasIntensity ? f.maxGPerKwh : constantG,
         unit, sources},
        {kCarbonMean, tr("Carbon intensity, the job's mean"),
         f.facilityKwh > 0 ? job.co2eKg * 1000 / f.facilityKwh : constantG, unit,
         tr("CO₂e ÷ facility energy of this job")},
        {kCarbonConstant, tr("Constant intensity"), constantG, unit, constantSource},
        {kCarbonStaleS, tr("Charged at a stale zone's last value"), f.staleSeconds,
         QStringLiteral("host-s"), tr("--grid-stale-s")},
        {kCarbonFallbackS, tr("Charged at the constant"), f.fallbackSeconds,
         QStringLiteral("host-s"), tr("hosts without a zone, or before its first value")},
    };
}

QVector<Factor> factorsOf(const core::JobSummary &job, const core::LedgerConfig &config)
{
    // PUE, WUE and EWIF as applied: the job's own ratios (zone overrides and settings changed
    // while it ran included); the settings' values before it has energy.
    const core::JobFootprint &f = job.footprint;
    const core::FootprintConfig &fc = config.footprint;
    const bool hasEnergy = job.kwh > 0 && f.facilityKwh > 0;
    const bool waterDefaults = fc.wueLPerKwh == core::FootprintConfig::kUsAverageWueLPerKwh &&
                               fc.ewifLPerKwh == core::FootprintConfig::kUsAverageEwifLPerKwh &&
                               fc.zoneWue.isEmpty() && fc.zoneEwif.isEmpty();
    const QString waterSource =
        waterDefaults ? tr("U.S. averages, Li et al. 2023, \"Making AI Less Thirsty\" "
                           "(arXiv 2304.03271)")
                      : tr("configured (--wue, --ewif, [zone-wue], [zone-ewif])");
    QStringList embodiedHosts;
    for (const QString &host : hostsOf(job)) {
        if (fc.hostEmbodiedKg.contains(host)) {
            embodiedHosts << QStringLiteral("%1 %2 kg").arg(host).arg(fc.hostEmbodiedKg[host]);
        }
    }
    const QString embodiedSource =
        fc.embodiedKg <= 0 && embodiedHosts.isEmpty()
            ? tr("off: no figure configured (--embodied-kg, [host-embodied-kg])")
            : tr("--embodied-kg") + (embodiedHosts.isEmpty()
                                         ? QString()
                                         : QStringLiteral("; [host-embodied-kg] ") +
                                               embodiedHosts.join(QStringLiteral(", ")));
    using namespace jobcsv;
    QVector<Factor> factors = {{kPue,
                                tr("PUE"),
                                hasEnergy ? f.facilityKwh / job.kwh : config.pue,
                                {},
                                tr("--pue (facility energy ÷ IT energy of this job)")}};
    factors += carbonFactors(job, config);
    factors += {
        {kWue, tr("WUE, on site"), hasEnergy ? f.waterOnsiteL / job.kwh : fc.wueLPerKwh,
         QStringLiteral("L/kWh IT"), waterSource},
        {kEwif, tr("EWIF, off site"), hasEnergy ? f.waterOffsiteL / f.facilityKwh : fc.ewifLPerKwh,
         QStringLiteral("L/kWh facility"), waterSource},
        {kEmbodiedKgPerHost, tr("Embodied carbon per host"), fc.embodiedKg,
         QStringLiteral("kg CO₂e"), embodiedSource},
        {kLifetimeYears, tr("Host lifetime"), fc.lifetimeYears, tr("years"),
         tr("--lifetime-years, [host-lifetime-years]")},
    };
    return factors;
}

// The host's power in [fromMs, toMs], its runs, and its gaps in the span.
JobReport::Host hostOf(const core::SeriesStore &series, const QString &name, double fromMs,
                       double toMs, QVector<JobReport::Span> *gaps)
{
    JobReport::Host host;
    host.name = name;
    QVector<QPointF> points =
        series.copy(core::serieskeys::key(core::serieskeys::Kind::Power, name), fromMs);
    points.erase(std::find_if(points.begin(), points.end(),
                              [toMs](const QPointF &p) { return p.x() > toMs; }),
                 points.end());
    host.points = static_cast<int>(points.size());
    for (const QPointF &p : points) {
        host.meanWatts += p.y();
        host.peakWatts = std::max(host.peakWatts, p.y());
    }
    host.meanWatts = host.points > 0 ? host.meanWatts / host.points : 0;
    host.runs = seriesruns::split(points, JobReport::kMinGapMs);
    if (points.isEmpty()) {
        gaps->append({name, fromMs, toMs, tr("no power samples in the span")});
        return host;
    }
    if (points.constFirst().x() - fromMs > JobReport::kMinGapMs) {
        gaps->append({name, fromMs, points.constFirst().x(), tr("no samples yet")});
    }
    for (int i = 0; i + 1 < host.runs.size(); ++i) {
        gaps->append(
            {name, host.runs[i].constLast().x(), host.runs[i + 1].constFirst().x(), tr("silent")});
    }
    if (toMs - points.constLast().x() > JobReport::kMinGapMs) {
        gaps->append({name, points.constLast().x(), toMs, tr("silent until the end")});
    }
    return host;
}

} // namespace

std::optional<JobReport> JobReport::collect(const core::ProcessorSnapshot &snapshot,
                                            const core::SeriesStore &series, const QString &jobId,
                                            const QVector<Span> &outages)
{
    const auto found = std::find_if(snapshot.jobs.begin(), snapshot.jobs.end(),
                                    [&](const core::JobSummary &j) { return j.jobId == jobId; });
    if (found == snapshot.jobs.end()) {
        return std::nullopt;
    }
    JobReport report;
    report.job = *found;
    report.generatedNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    report.maxGapSeconds = snapshot.config.maxGapSeconds;
    report.followedProcessor = snapshot.followedProcessor;
    const core::JobSummary &job = report.job;
    const double nowMs =
        static_cast<double>(snapshot.takenNs > 0 ? snapshot.takenNs : report.generatedNs) / 1e6;
    report.toMs = job.endNs > 0 ? static_cast<double>(job.endNs) / 1e6 : nowMs;
    report.fromMs = job.startNs > 0 ? static_cast<double>(job.startNs) / 1e6
                                    : report.toMs - job.durationSeconds * 1000;

    ChartPalette palette; // the names in the same order give the window's colours
    for (const QString &name : hostsOf(job)) {
        Host host = hostOf(series, name, report.fromMs, report.toMs, &report.gaps);
        const SeriesStyle style = palette.styleFor(name);
        host.color = style.color;
        host.penStyle = style.penStyle;
        host.gpus = gpusOf(job, name);
        host.contributed = job.hosts.contains(name);
        for (const core::HostSummary &h : snapshot.hosts) {
            if (h.host == name) {
                host.zone = h.zone;
            }
        }
        for (const core::ZoneSummary &zone : snapshot.zones) {
            if (!host.zone.isEmpty() && zone.zone == host.zone) {
                host.zoneSource = zone.source + (zone.stale ? tr(" (stale)") : QString());
            }
        }
        report.hasSeries = report.hasSeries || host.points > 0;
        report.hosts.push_back(std::move(host));
    }
    if (!report.hasSeries) {
        report.gaps.clear(); // no curve at all: nothing to tell gaps from (the dashboard is newer)
    }
    std::sort(report.gaps.begin(), report.gaps.end(), [](const Span &a, const Span &b) {
        return a.fromMs != b.fromMs ? a.fromMs < b.fromMs : a.host < b.host;
    });
    for (const Span &outage : outages) {
        const double to = outage.toMs > 0 ? outage.toMs : report.toMs;
        if (to > report.fromMs && outage.fromMs < report.toMs) {
            report.outages.append({{},
                                   std::max(outage.fromMs, report.fromMs),
                                   std::min(to, report.toMs),
                                   tr("processor disconnected from the broker")});
        }
    }
    report.factors = factorsOf(job, snapshot.config);
    return report;
}

QString JobReport::title() const
{
    return job.name.isEmpty() ? format::jobName(job.jobId) : job.name;
}

const JobReport::Factor *JobReport::factor(const QString &key) const
{
    for (const Factor &f : factors) {
        if (f.key == key) {
            return &f;
        }
    }
    return nullptr;
}

double JobReport::gapSeconds() const
{
    double total = 0;
    for (const Span &gap : gaps) {
        total += gap.seconds();
    }
    return total;
}

} // namespace greenpulse::app
