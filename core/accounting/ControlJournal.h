#pragma once

// Append-only journal of the control messages the processor applied since its last state save,
// "<state file>.journal", one JSON object per line:
//   {"n":"12","status":"end","job":"J","host":"h","t":"1764049260000000000","exit":0,
//    "origin":"user:alice"}   (origin: the control topic, absent for the legacy one)
//   {"n":"13","retained":"J"}   (the job keeps retained state on greenpulse/state/jobs/J)
// Each line is written at once (so a kill -9 cannot lose it) and fdatasync'd before the next turn
// of the event loop (the messages of one batch share one sync). At start the journal is replayed
// on top of the state file: records numbered above the state file's "journal_seq" are applied
// again. It is truncated after every successful state save. Files are 0600.

#include "base/LogThrottle.h"
#include "protocol/Protocol.h"

#include <QList>
#include <QObject>
#include <QString>

namespace greenpulse::core {

class ControlJournal : public QObject
{
    Q_OBJECT
public:
    struct Record
    {
        quint64 seq = 0;
        bool retained = false;  // a job-tracking note instead of a control message
        ControlMessage control; // control.jobId is also the job of a retained note
    };

    explicit ControlJournal(QString path, QObject *parent = nullptr);
    ~ControlJournal() override;

    // The records of `path` in order; a torn last line (a crash mid-write) is skipped.
    static QList<Record> read(const QString &path);

    // Opens (creates) the file; append() does it too. False when it cannot be opened.
    bool open();
    // Numbers continue after `seq` (the highest number already used).
    void setLastSeq(quint64 seq) { m_lastSeq = seq; }
    quint64 lastSeq() const { return m_lastSeq; }

    // Appends a record (numbered here) and schedules the sync. False when it could not be written;
    // the failure is logged once per change and counted.
    bool append(Record record);
    // Empties the journal: everything in it is in the state file now.
    bool truncate();

    quint64 failures() const { return m_writes.failures(); }

private:
    // fdatasync of what was appended (called by itself on the next event-loop turn).
    void sync();
    bool ensureOpen();
    void noteResult(bool ok, const QString &error);

    QString m_path;
    int m_fd = -1;
    quint64 m_lastSeq = 0;
    qint64 m_bytes = 0; // written since the last truncation
    bool m_syncScheduled = false;
    LogThrottle m_writes; // failing writes: said once per change
};

} // namespace greenpulse::core
