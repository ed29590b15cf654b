#pragma once

#include "accounting/Ledger.h"

#include <QAbstractTableModel>
#include <QHash>
#include <vector>

namespace greenpulse::app {

// One row per job of the processor's snapshot. update() keeps rows in place: new jobs are
// inserted, changed rows get dataChanged(), so a sort proxy and the selection survive the
// once-a-second refresh (no model reset per tick).
class JobsTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        JobColumn,
        HostsColumn,
        StatusColumn,
        StartColumn,
        DurationColumn,
        KwhColumn,
        Co2eColumn,
        LitersColumn,
        AvgWattsColumn,
        PeakWattsColumn,
        CoverageColumn,
        UserColumn,        // who submitted it (a Slurm job's user), empty for others
        FacilityKwhColumn, // IT kWh x PUE
        WaterColumn,       // water consumed, on site + off site (estimate)
        EmbodiedColumn,    // embodied kg CO2e; hidden while every job's is 0
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // raw numbers / times for sorting
        JobIdRole,
        RunningRole,
    };

    explicit JobsTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void update(const std::vector<core::JobSummary> &jobs);
    // Silent hosts (Freshness::silentAges): running jobs on them are flagged in the Status
    // column (docs/dashboard.md, "Freshness").
    void setSilentHosts(const QHash<QString, double> &silentAges);
    // The silent hosts among a job's hosts (empty for ended jobs and idle).
    QStringList silentHostsOf(const core::JobSummary &job) const;
    // The dashboard's launchers' words for some jobs' state (pending, cancelled...), by job id;
    // they win over the summary's in the Status column.
    void setStatusTexts(const QHash<QString, QString> &texts);

    const core::JobSummary *job(int row) const;
    int rowOf(const QString &jobId) const; // -1 if unknown
    QStringList runningJobs() const;       // real jobs, not the idle pseudo-job
    bool hasUsers() const;                 // some job has a user (column shown)
    bool hasEmbodied() const;              // some job has embodied carbon (column shown)

    // Every job with raw values (ISO 8601 UTC times, full precision), header first.
    bool exportCsv(const QString &path, QString *error = nullptr) const;
    QString toCsv() const;

private:
    QString statusText(const core::JobSummary &job) const;
    static QString waterToolTip(const core::JobSummary &job);

    std::vector<core::JobSummary> m_rows;
    QHash<QString, int> m_index;     // job id -> row
    QHash<QString, double> m_silent; // silent host -> seconds since it was heard
    QHash<QString, QString> m_statusTexts;
};

} // namespace greenpulse::app
