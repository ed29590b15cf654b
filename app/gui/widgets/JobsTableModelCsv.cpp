// The jobs table's CSV export (docs/dashboard.md): every job with raw values, the footprint
// columns with the processor's summary keys' names.
#include "protocol/JobId.h"
#include "runtime/JobNames.h"
#include "widgets/JobsTableModel.h"

#include <QDateTime>
#include <QSaveFile>
#include <QTimeZone>

namespace greenpulse::app {

namespace {

bool isIdleJob(const core::JobSummary &job)
{
    return job.jobId == QLatin1String(core::jobid::kIdle);
}

QString isoTime(core::TimeNs ns)
{
    if (ns <= 0) {
        return {};
    }
    return QDateTime::fromMSecsSinceEpoch(ns / 1'000'000, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString csvField(QString text)
{
    if (text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) ||
        text.contains(QLatin1Char('\n'))) {
        text.replace(QStringLiteral("\""), QStringLiteral("\"\""));
        return QLatin1Char('"') + text + QLatin1Char('"');
    }
    return text;
}

QString num(double v)
{
    return QString::number(v, 'g', 10);
}

} // namespace

QString JobsTableModel::toCsv() const
{
    QString out = QStringLiteral(
        "job_id,hosts,status,start_utc,end_utc,duration_s,kwh,co2e_kg,liters,avg_watts,"
        "peak_watts,coverage,exit_code,facility_kwh,water_onsite_l,water_offsite_l,"
        "embodied_co2e_kg,sci_co2e_kg\n");
    for (const core::JobSummary &job : m_rows) {
        if (!job.fromControl && job.startNs == 0 && job.samples == 0 &&
            m_statusTexts.contains(job.jobId)) {
            continue; // only a launcher knows it (a queued Slurm job): no totals yet
        }
        const QStringList fields = {
            csvField(job.jobId),
            csvField(job.hosts.join(QLatin1Char(' '))),
            isIdleJob(job) ? idleJobName()
                           : (job.running ? QStringLiteral("running") : QStringLiteral("ended")),
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
