// The jobs table's CSV export (docs/dashboard.md): every job with raw values, the footprint
// columns with the processor's summary keys' names.
#include "widgets/JobCsv.h"
#include "widgets/JobsTableModel.h"

#include <QSaveFile>

namespace greenpulse::app {

namespace {

QString num(double v)
{
    return QString::number(v, 'g', 10);
}

} // namespace

QString JobsTableModel::toCsv() const
{
    using namespace jobcsv;
    const QStringList keys = {
        kJobId,    kHosts,       kStatus,       kStartUtc,      kEndUtc,         kDurationS,
        kKwh,      kCo2eKg,      kLiters,       kAvgWatts,      kPeakWatts,      kCoverage,
        kExitCode, kFacilityKwh, kWaterOnsiteL, kWaterOffsiteL, kEmbodiedCo2eKg, kSciCo2eKg};
    QString out = keys.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const core::JobSummary &job : m_rows) {
        if (!job.fromControl && job.startNs == 0 && job.samples == 0 &&
            m_statusTexts.contains(job.jobId)) {
            continue; // only a launcher knows it (a queued Slurm job): no totals yet
        }
        const QStringList fields = {
            field(job.jobId),
            field(job.hosts.join(QLatin1Char(' '))),
            status(job),
            isoTime(job.startNs),
            isoTime(job.endNs),
            num(job.durationSeconds),
            num(job.kwh),
            num(job.co2eKg),
            num(job.liters),
            num(job.avgWatts),
            num(job.peakWatts),
            num(job.coverage),
            job.exitCode ? QString::number(*job.exitCode) : QString(),
            num(job.footprint.facilityKwh),
            num(job.footprint.waterOnsiteL),
            num(job.footprint.waterOffsiteL),
            num(job.footprint.embodiedKg),
            num(job.sciKg()),
        };
        out += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out;
}

bool JobsTableModel::exportCsv(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error) {
            *error = file.errorString();
        }
        return false;
    }
    file.write(toCsv().toUtf8());
    if (!file.commit()) {
        if (error) {
            *error = file.errorString();
        }
        return false;
    }
    return true;
}

} // namespace greenpulse::app
