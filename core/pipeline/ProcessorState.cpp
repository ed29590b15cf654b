#include "pipeline/ProcessorState.h"

#include "accounting/ControlJournal.h"
#include "accounting/Ledger.h"
#include "pipeline/DailyTotals.h"

#include <QFileInfo>
#include <QJsonObject>

namespace greenpulse::core {

namespace {
const QLatin1String kDays("days");
const QLatin1String kJournalSeq("journal_seq");
const QLatin1String kRetainedJobs("retained_jobs");
} // namespace

ProcessorState::ProcessorState(const QString &path, QObject *journalParent) : m_file(path)
{
    if (m_file.isEnabled()) {
        m_journal = new ControlJournal(m_file.journalPath(), journalParent);
    }
}

quint64 ProcessorState::journalFailures() const
{
    return m_journal ? m_journal->failures() : 0;
}

ProcessorState::Loaded ProcessorState::load(Ledger &ledger, DailyTotals &days)
{
    QJsonObject root;
    if (m_file.load(ledger, &root) == StateFile::LoadResult::Loaded) {
        days.restore(root.value(kDays).toObject());
    }
    Loaded loaded;
    loaded.journalSeq = root.value(kJournalSeq).toString().toULongLong();
    loaded.retainedJobs = root.value(kRetainedJobs).toArray();
    return loaded;
}

bool ProcessorState::isCurrent(const Ledger &ledger) const
{
    return ledger.revision() == m_lastRevisionSaved && QFileInfo::exists(m_file.path());
}

bool ProcessorState::save(const Ledger &ledger, const DailyTotals &days,
                          const QJsonArray &retainedJobs, QString *error)
{
    const quint64 journaled = m_journal->lastSeq();
    const QJsonObject extra{{kJournalSeq, QString::number(journaled)},
                            {kRetainedJobs, retainedJobs},
                            {kDays, days.toJson()}};
    if (!m_file.save(ledger, extra, error)) {
        return false; // reported by StateFile (once per change); the journal keeps the controls
    }
    m_lastRevisionSaved = ledger.revision();
    if (m_journal->lastSeq() == journaled) {
        m_journal->truncate(); // everything in it is in the state file now
    }
    return true;
}

} // namespace greenpulse::core
