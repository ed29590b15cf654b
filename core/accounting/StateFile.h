#pragma once

// The processor's state file: the ledger (plus the processor's own keys, such as its daily
// totals: core/pipeline/ProcessorState), so that totals continue after a restart. See
// docs/accounting.md, "What survives a crash or a full disk".
//
// Saving writes "<path>.tmp" with every write checked, fsyncs it, renames it over the file and
// fsyncs the folder (durable::writeAtomically). When anything fails (a full disk, a read-only
// file system) the previous good file stays, the temp file is deleted, and the failure is
// reported: one log line when saving starts failing, one when it works again (with how many saves
// failed), a counter and the last error for the counters JSON and the dashboard.

#include "base/LogThrottle.h"

#include <QJsonObject>
#include <QString>

namespace greenpulse::core {

class Ledger;

class StateFile
{
public:
    explicit StateFile(QString path = {});
    // Where `programName` keeps its state file when no --state-file is given:
    // <data dir>/ledger-<programName>.json (base/DataDir.h).
    static QString defaultPath(const QString &programName);

    bool isEnabled() const { return !m_path.isEmpty(); }
    QString path() const { return m_path; }
    // The control journal next to it: "<path>.journal".
    QString journalPath() const;

    enum class LoadResult { Missing, Loaded, MovedAside };
    // Restores `ledger` from the file and returns the whole document in `root` (for the
    // processor's own keys). An unreadable file, or one the ledger refuses, is moved aside as
    // "<path>.unreadable-<seconds>" for inspection, and the processor starts from zero.
    LoadResult load(Ledger &ledger, QJsonObject *root);
    // Creates the file's folder (0700 when created here).
    bool prepareFolder(QString *error) const;
    // Writes {"ledger", "saved_at"} and the keys of `extra`. False when it failed; the previous
    // file is then kept.
    bool save(const Ledger &ledger, const QJsonObject &extra, QString *error = nullptr);

    bool isFailing() const { return !m_error.isEmpty(); }
    QString lastError() const { return m_error; } // empty while saving works
    quint64 failures() const
    {
        return m_saves.failures();
    } // failed saves since this process started

private:
    void noteResult(bool ok, const QString &error);

    QString m_path;
    QString m_error;
    LogThrottle m_saves; // failing saves: said once per change
};

} // namespace greenpulse::core
