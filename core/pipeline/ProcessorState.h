#pragma once

// What the processor keeps on disk to survive a restart: the state file (the ledger, plus the
// processor's own keys: the daily totals, the journal position, the jobs with retained state)
// and the control journal beside it. Decides when a save is due (the ledger changed, or the file
// is gone) and empties the journal once the file holds everything in it. See docs/accounting.md,
// "What survives a crash or a full disk".

#include "accounting/StateFile.h"

#include <QJsonArray>
#include <QString>

class QObject;

namespace greenpulse::core {

class ControlJournal;
class DailyTotals;
class Ledger;

class ProcessorState
{
public:
    // An empty `path`: no persistence and no journal. The journal is a child of `journalParent`
    // (so that it moves to the processor's thread with it).
    ProcessorState(const QString &path, QObject *journalParent);

    bool isEnabled() const { return m_file.isEnabled(); }
    QString path() const { return m_file.path(); }
    QString journalPath() const { return m_file.journalPath(); }
    const StateFile &file() const { return m_file; }
    ControlJournal *journal() const { return m_journal; } // null when not enabled
    quint64 journalFailures() const;

    // Creates the file's folder (0700 when created here).
    bool prepareFolder(QString *error) const { return m_file.prepareFolder(error); }

    // What a loaded file says besides the ledger and the days.
    struct Loaded
    {
        quint64 journalSeq = 0;  // the last journal record the file holds
        QJsonArray retainedJobs; // jobs known to keep retained state on the broker
    };
    // Restores `ledger` and `days`; an unreadable file is moved aside (StateFile::load).
    Loaded load(Ledger &ledger, DailyTotals &days);

    // Whether the file already holds the ledger as it is (nothing to save).
    bool isCurrent(const Ledger &ledger) const;
    // Saves now; on success the journal is emptied unless a record was appended meanwhile.
    bool save(const Ledger &ledger, const DailyTotals &days, const QJsonArray &retainedJobs,
              QString *error = nullptr);

private:
    StateFile m_file;
    ControlJournal *m_journal = nullptr; // owned by its parent
    quint64 m_lastRevisionSaved = 0;
};

} // namespace greenpulse::core
