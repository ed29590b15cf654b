#include "widgets/JobReportExporter.h"

#include "base/Logging.h"
#include "charts/ChartsPanel.h"
#include "runtime/Format.h"
#include "runtime/SnapshotSource.h"
#include "widgets/JobReportWriter.h"
#include "widgets/JobsPanel.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QMessageBox>
#include <QRegularExpression>

namespace greenpulse::app {

JobReportExporter::JobReportExporter(const SnapshotSource &source, const core::SeriesStore &series,
                                     JobsPanel &jobs, const ChartsPanel &charts, QWidget *window)
    : QObject(window), m_source(source), m_series(series), m_jobs(jobs), m_charts(charts),
      m_window(window)
{
    connect(m_jobs.reportAction(), &QAction::triggered, this,
            &JobReportExporter::exportInteractive);
}

QString JobReportExporter::fileFilters()
{
    return tr("PDF document (*.pdf);;PNG image (*.png);;CSV, every value (*.csv)");
}

std::optional<JobReport> JobReportExporter::report(const QString &jobId) const
{
    const auto snapshot = m_source.snapshot();
    if (!snapshot || jobId.isEmpty()) {
        return std::nullopt;
    }
    QVector<JobReport::Span> outages;
    for (const ChartsPanel::Outage &outage : m_charts.outages()) {
        outages.append({{}, outage.fromMs, outage.toMs, {}});
    }
    return JobReport::collect(*snapshot, m_series, jobId, outages);
}

bool JobReportExporter::exportTo(const QString &jobId, const QString &path, QString *error)
{
    const std::optional<JobReport> r = report(jobId);
    if (!r) {
        if (error) {
            *error = tr("no job %1 in the ledger shown").arg(jobId);
        }
        return false;
    }
    if (!JobReportWriter::write(*r, path, error)) {
        return false;
    }
    qCInfo(lcApp) << "job report of" << jobId << "saved to" << path;
    emit exported(path, jobId);
    return true;
}

void JobReportExporter::exportInteractive()
{
    const QString jobId = m_jobs.selectedJobId();
    if (jobId.isEmpty()) {
        return;
    }
    QString name = format::jobName(jobId);
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
    const QString suggested = QDir::home().filePath(
        QStringLiteral("greenpulse-report-%1-%2.pdf")
            .arg(name, QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm"))));
    QString filter;
    QString path = QFileDialog::getSaveFileName(m_window, tr("Save the report of %1").arg(jobId),
                                                suggested, fileFilters(), &filter);
    if (path.isEmpty()) {
        return;
    }
    if (JobReportWriter::formatOf(path) == JobReportWriter::Format::Unknown) {
        // No suffix typed: the chosen filter's ("... (*.png)").
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("\\*(\\.[a-z]+)")).match(filter);
        path += m.hasMatch() ? m.captured(1) : QStringLiteral(".pdf");
    }
    QString error;
    if (!exportTo(jobId, path, &error)) {
        QMessageBox::warning(m_window, tr("Report not saved"),
                             tr("Could not write %1:\n%2").arg(path, error));
    }
}

} // namespace greenpulse::app
