#include "widgets/JobsTableModel.h"

#include "protocol/JobId.h"
#include "runtime/Format.h"
#include "runtime/JobNames.h"

#include <QApplication>
#include <QDateTime>
#include <QFile>
#include <QFont>
#include <QPalette>
#include <QSaveFile>
#include <QSet>
#include <QTimeZone>
#include <algorithm>

namespace greenpulse::app {

namespace {

bool isIdleJob(const core::JobSummary &job)
{
    return job.jobId == QLatin1String(core::jobid::kIdle);
}

bool sameRow(const core::JobSummary &a, const core::JobSummary &b)
{
    return a.running == b.running && a.hosts == b.hosts && a.startNs == b.startNs &&
           a.endNs == b.endNs && a.durationSeconds == b.durationSeconds && a.kwh == b.kwh &&
           a.co2eKg == b.co2eKg && a.liters == b.liters && a.hasFlowSensor() == b.hasFlowSensor() &&
           a.avgWatts == b.avgWatts && a.peakWatts == b.peakWatts && a.coverage == b.coverage &&
           a.exitCode == b.exitCode && a.user == b.user && a.name == b.name && a.gpus == b.gpus &&
           a.exitState == b.exitState && a.footprint.facilityKwh == b.footprint.facilityKwh &&
           a.footprint.waterOnsiteL == b.footprint.waterOnsiteL &&
           a.footprint.waterOffsiteL == b.footprint.waterOffsiteL &&
           a.footprint.embodiedKg == b.footprint.embodiedKg;
}

// The job's details, one a line, for its tooltip: name, user, GPUs per host, how it ended.
QString detailsText(const core::JobSummary &job)
{
    QStringList lines{job.jobId};
    if (!job.name.isEmpty()) {
        lines << JobsTableModel::tr("Name: %1").arg(job.name);
    }
    if (!job.user.isEmpty()) {
        lines << JobsTableModel::tr("User: %1").arg(job.user);
    }
    for (auto it = job.gpus.cbegin(); it != job.gpus.cend(); ++it) {
        lines << (it.key().isEmpty()
                      ? JobsTableModel::tr("GPUs: %1").arg(it.value().join(QStringLiteral(", ")))
                      : JobsTableModel::tr("GPUs on %1: %2")
                            .arg(it.key(), it.value().join(QStringLiteral(", "))));
    }
    if (!job.exitState.isEmpty()) {
        lines << JobsTableModel::tr("Ended: %1").arg(job.exitState);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

JobsTableModel::JobsTableModel(QObject *parent) : QAbstractTableModel(parent) {}

int JobsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int JobsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString JobsTableModel::statusText(const core::JobSummary &job) const
{
    if (isIdleJob(job)) {
        return idleJobName();
    }
    if (const auto it = m_statusTexts.constFind(job.jobId); it != m_statusTexts.constEnd()) {
        return it.value();
    }
    if (job.running) {
        const qsizetype silent = silentHostsOf(job).size();
        if (silent == 0) {
            return tr("running");
        }
        return tr("running, %1 silent").arg(silent);
    }
    if (!job.exitState.isEmpty() && job.exitState != QLatin1String("completed")) {
        // A scheduler's word for it: cancelled, timeout, failed...
        return job.exitCode && *job.exitCode != 0
                   ? tr("%1 (exit %2)").arg(job.exitState).arg(*job.exitCode)
                   : job.exitState;
    }
    if (job.exitCode && *job.exitCode != 0) {
        return tr("failed (exit %1)").arg(*job.exitCode);
    }
    return tr("ended");
}

QVariant JobsTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    const core::JobSummary &job = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case JobIdRole:
        return job.jobId;
    case RunningRole:
        return job.running && !isIdleJob(job);
    case Qt::ToolTipRole:
        if (index.column() == JobColumn || index.column() == UserColumn) {
            return detailsText(job);
        }
        if (index.column() == WaterColumn) {
            return waterToolTip(job);
        }
        if (index.column() == CoverageColumn) {
            QString text = tr("Share of host-seconds integrated: %1 s covered, %2 s in gaps")
                               .arg(format::number(job.coveredSeconds, 1),
                                    format::number(job.uncoveredSeconds, 1));
            if (job.silentSeconds > 0) {
                text += tr(", %1 s of hosts silent until now")
                            .arg(format::number(job.silentSeconds, 1));
            }
            return text;
        }
        if (index.column() == StatusColumn) {
            const QStringList silent = silentHostsOf(job);
            if (silent.isEmpty()) {
                return {};
            }
            QStringList lines;
            for (const QString &host : silent) {
                lines
                    << tr("%1 silent for %2 s").arg(host, format::number(m_silent.value(host), 1));
            }
            lines << tr("Its energy stops growing and its coverage falls until they report again.");
            return lines.join(QLatin1Char('\n'));
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() >= DurationColumn && index.column() != UserColumn
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn && !silentHostsOf(job).isEmpty()) {
            return QColor(0xc0, 0x6a, 0x00); // amber: running, but not all of it is heard
        }
        if (isIdleJob(job) || (!job.running && index.column() == StatusColumn)) {
            return QApplication::palette().brush(QPalette::PlaceholderText);
        }
        return {};
    case Qt::FontRole:
        if (job.running && !isIdleJob(job) && index.column() == StatusColumn) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == StatusColumn) {
            if (isIdleJob(job)) {
                return QColor(0x9e, 0x9e, 0x9e);
            }
            if (job.running && !silentHostsOf(job).isEmpty()) {
                return QColor(0xe0, 0x9b, 0x1a); // amber: some of its hosts are silent
            }
            return job.running ? QColor(0x2e, 0xa0, 0x43) : QColor(0x6b, 0x7d, 0x8f);
        }
        return {};
    case SortRole:
        switch (index.column()) {
        case JobColumn:
            return job.jobId;
        case HostsColumn:
            return job.hosts.join(QLatin1Char(' '));
        case StatusColumn:
            return statusText(job);
        case StartColumn:
            return job.startNs;
        case DurationColumn:
            return job.durationSeconds;
        case KwhColumn:
            return job.kwh;
        case Co2eColumn:
            return job.co2eKg;
        case LitersColumn:
            return job.liters;
        case AvgWattsColumn:
            return job.avgWatts;
        case PeakWattsColumn:
            return job.peakWatts;
        case CoverageColumn:
            return job.coverage;
        case UserColumn:
            return job.user;
        case FacilityKwhColumn:
            return job.footprint.facilityKwh;
        case WaterColumn:
            return job.footprint.waterL();
        case EmbodiedColumn:
            return job.footprint.embodiedKg;
        default:
            return {};
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case JobColumn:
            return isIdleJob(job) ? idleJobName() : job.jobId;
        case HostsColumn:
            if (job.hosts.isEmpty()) {
                return job.targetHost.isEmpty() ? tr("all hosts") : job.targetHost;
            }
            return job.hosts.join(QStringLiteral(", "));
        case StatusColumn:
            return statusText(job);
        case StartColumn:
            return format::localTime(job.startNs);
        case DurationColumn:
            return format::duration(job.durationSeconds);
        case KwhColumn:
            return format::number(job.kwh, 4);
        case Co2eColumn:
            return format::number(job.co2eKg, 4);
        case LitersColumn:
            // Power integrated but no flow ever: no sensor on its hosts, not 0 L.
            return job.hasFlowSensor() || job.coveredSeconds <= 0 ? format::number(job.liters, 3)
                                                                  : tr("no sensor");
        case AvgWattsColumn:
            return format::number(job.avgWatts, 0);
        case PeakWattsColumn:
            return format::number(job.peakWatts, 0);
        case CoverageColumn:
            return job.coveredSeconds + job.uncoveredSeconds > 0 ? format::percent(job.coverage)
                                                                 : QStringLiteral("–");
        case UserColumn:
            return job.user;
        case FacilityKwhColumn:
            return format::number(job.footprint.facilityKwh, 4);
        case WaterColumn:
            return format::number(job.footprint.waterL(), 3);
        case EmbodiedColumn:
            return format::number(job.footprint.embodiedKg, 4);
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant JobsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal) {
        return {};
    }
    if (role == Qt::TextAlignmentRole) {
        return section >= DurationColumn && section != UserColumn
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    switch (section) {
    case JobColumn:
        return tr("Job");
    case HostsColumn:
        return tr("Hosts");
    case StatusColumn:
        return tr("Status");
    case StartColumn:
        return tr("Started");
    case DurationColumn:
        return tr("Duration");
    case KwhColumn:
        return role == Qt::ToolTipRole ? tr("IT energy (kWh)") : tr("IT kWh");
    case Co2eColumn:
        return role == Qt::ToolTipRole ? tr("Operational carbon (kg CO₂e)") : tr("kg CO₂e");
    case LitersColumn:
        return role == Qt::ToolTipRole ? tr("Coolant circulated through the loop (flow), not "
                                            "water consumed")
                                       : tr("Coolant (L)");
    case AvgWattsColumn:
        return tr("Avg (W)");
    case PeakWattsColumn:
        return tr("Peak (W)");
    case CoverageColumn:
        return tr("Coverage");
    case UserColumn:
        return tr("User");
    case FacilityKwhColumn:
        return role == Qt::ToolTipRole ? tr("IT energy x PUE") : tr("Facility kWh");
    case WaterColumn:
        return role == Qt::ToolTipRole ? tr("Water consumed (estimate): on site IT kWh x WUE, "
                                            "off site facility kWh x EWIF")
                                       : tr("Water use (L)");
    case EmbodiedColumn:
        return role == Qt::ToolTipRole ? tr("Embodied carbon (kg CO₂e)") : tr("Embodied kg");
    default:
        return {};
    }
}

void JobsTableModel::update(const std::vector<core::JobSummary> &jobs)
{
    QSet<QString> seen;
    seen.reserve(static_cast<qsizetype>(jobs.size()));
    for (const core::JobSummary &job : jobs) {
        seen.insert(job.jobId);
    }
    // Jobs gone from the snapshot (rare): remove their rows, last first.
    for (int row = rowCount() - 1; row >= 0; --row) {
        if (!seen.contains(m_rows[static_cast<size_t>(row)].jobId)) {
            beginRemoveRows({}, row, row);
            m_rows.erase(m_rows.begin() + row);
            endRemoveRows();
        }
    }
    m_index.clear();
    for (int row = 0; row < rowCount(); ++row) {
        m_index.insert(m_rows[static_cast<size_t>(row)].jobId, row);
    }
    // Changed rows are announced once, as one range, after the loop: with hundreds of running
    // jobs a dataChanged() per row made the proxy, the view and every listener (the count, the
    // column checks) run once per row, every snapshot.
    int firstChanged = -1;
    int lastChanged = -1;
    for (const core::JobSummary &job : jobs) {
        const auto it = m_index.constFind(job.jobId);
        if (it == m_index.constEnd()) {
            const int row = rowCount();
            beginInsertRows({}, row, row);
            m_rows.push_back(job);
            m_index.insert(job.jobId, row);
            endInsertRows();
            continue;
        }
        core::JobSummary &current = m_rows[static_cast<size_t>(it.value())];
        if (!sameRow(current, job)) {
            current = job;
            firstChanged = firstChanged < 0 ? it.value() : std::min(firstChanged, it.value());
            lastChanged = std::max(lastChanged, it.value());
        }
    }
    if (firstChanged >= 0) {
        emit dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
    }
}

void JobsTableModel::setSilentHosts(const QHash<QString, double> &silentAges)
{
    const bool sameHosts = silentAges.size() == m_silent.size() &&
                           std::all_of(silentAges.keyBegin(), silentAges.keyEnd(),
                                       [this](const QString &h) { return m_silent.contains(h); });
    m_silent = silentAges; // the ages, for the tooltips
    if (sameHosts || m_rows.empty()) {
        return;
    }
    emit dataChanged(index(0, StatusColumn), index(rowCount() - 1, StatusColumn));
}

QStringList JobsTableModel::silentHostsOf(const core::JobSummary &job) const
{
    QStringList out;
    if (!job.running || isIdleJob(job) || m_silent.isEmpty()) {
        return out;
    }
    QStringList hosts = job.hosts + job.targetHosts;
    if (!job.targetHost.isEmpty()) {
        hosts << job.targetHost;
    }
    hosts.removeDuplicates();
    for (const QString &host : std::as_const(hosts)) {
        if (m_silent.contains(host)) {
            out << host;
        }
    }
    return out;
}

void JobsTableModel::setStatusTexts(const QHash<QString, QString> &texts)
{
    if (texts == m_statusTexts) {
        return;
    }
    QSet<QString> changed;
    for (auto it = texts.cbegin(); it != texts.cend(); ++it) {
        if (m_statusTexts.value(it.key()) != it.value()) {
            changed.insert(it.key());
        }
    }
    for (auto it = m_statusTexts.cbegin(); it != m_statusTexts.cend(); ++it) {
        if (!texts.contains(it.key())) {
            changed.insert(it.key());
        }
    }
    m_statusTexts = texts;
    for (const QString &jobId : changed) {
        const int row = rowOf(jobId);
        if (row >= 0) {
            emit dataChanged(index(row, StatusColumn), index(row, StatusColumn));
        }
    }
}

const core::JobSummary *JobsTableModel::job(int row) const
{
    if (row < 0 || row >= rowCount()) {
        return nullptr;
    }
    return &m_rows[static_cast<size_t>(row)];
}

int JobsTableModel::rowOf(const QString &jobId) const
{
    return m_index.value(jobId, -1);
}

QStringList JobsTableModel::runningJobs() const
{
    QStringList ids;
    for (const core::JobSummary &job : m_rows) {
        if (job.running && !isIdleJob(job)) {
            ids << job.jobId;
        }
    }
    return ids;
}

QString JobsTableModel::waterToolTip(const core::JobSummary &job)
{
    // The factors shown are the job's own (its water over its energy), so zone overrides of
    // WUE and EWIF show as they were applied.
    const core::JobFootprint &f = job.footprint;
    const auto factor = [](double liters, double kwh) {
        return kwh > 0 ? format::number(liters / kwh, 2) : QStringLiteral("–");
    };
    return tr("Water consumed (estimate): %1 L on site (WUE %2 L/kWh of IT energy) + %3 L off "
              "site (EWIF %4 L/kWh of facility energy)")
        .arg(format::number(f.waterOnsiteL, 3), factor(f.waterOnsiteL, job.kwh),
             format::number(f.waterOffsiteL, 3), factor(f.waterOffsiteL, f.facilityKwh));
}

bool JobsTableModel::hasUsers() const
{
    return std::any_of(m_rows.begin(), m_rows.end(),
                       [](const core::JobSummary &job) { return !job.user.isEmpty(); });
}

bool JobsTableModel::hasEmbodied() const
{
    return std::any_of(m_rows.begin(), m_rows.end(),
                       [](const core::JobSummary &job) { return job.footprint.embodiedKg > 0; });
}

} // namespace greenpulse::app
