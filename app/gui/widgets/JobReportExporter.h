#pragma once

#include "widgets/JobReport.h"

#include <QObject>
#include <optional>

class QWidget;

namespace greenpulse::core {
class SeriesStore;
} // namespace greenpulse::core

namespace greenpulse::app {

class ChartsPanel;
class JobsPanel;
class SnapshotSource;

// What JobsPanel::reportAction() does: collects the selected job's report from the latest
// snapshot, the chart series and the charts' broker outages, asks where to save it (PDF, PNG or
// CSV) and saves it (JobReportWriter); exported() says where, a message box says what failed.
class JobReportExporter : public QObject
{
    Q_OBJECT
public:
    JobReportExporter(const SnapshotSource &source, const core::SeriesStore &series,
                      JobsPanel &jobs, const ChartsPanel &charts, QWidget *window);

    std::optional<JobReport> report(const QString &jobId) const; // nullopt: no such job (yet)
    // Saves `jobId`'s report to `path` (its suffix picks the format): exported() on success.
    bool exportTo(const QString &jobId, const QString &path, QString *error = nullptr);
    // The selected job's, to a file the user picks.
    void exportInteractive();

    static QString fileFilters(); // "PDF document (*.pdf);;PNG image (*.png);;CSV (*.csv)"

signals:
    void exported(const QString &path, const QString &jobId);

private:
    const SnapshotSource &m_source;
    const core::SeriesStore &m_series;
    JobsPanel &m_jobs;
    const ChartsPanel &m_charts;
    QWidget *m_window;
};

} // namespace greenpulse::app
