#pragma once

#include "protocol/Messages.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace greenpulse::sim {

// A folder of control messages that could not be delivered (docs/slurm.md, "When the broker is
// away"): one small file each, named so that a listing is in the order they were written. The
// Slurm hooks add what the broker did not acknowledge in time, and every later run sends what is
// there first, oldest first, then removes it. At most kMaxFiles; beyond that the oldest are
// dropped, and said so. Written with a temporary file and a rename: a file is whole or absent.
class ControlSpool
{
public:
    static constexpr int kMaxFiles = 10000;

    struct Entry
    {
        QString path;
        core::ControlMessage message;
        bool keepState = true; // also publish/clear the retained job state (JobPublisher)
    };

    explicit ControlSpool(QString dir);

    const QString &dir() const { return m_dir; }
    // Writes one message; false (with `error`) when the folder cannot be written.
    bool add(const core::ControlMessage &message, bool keepState, QString *error);
    // What is waiting, oldest first; unreadable files are moved aside as *.bad.
    std::vector<Entry> pending() const;
    bool remove(const Entry &entry) const;
    // Files dropped by add() because the folder was full.
    int dropped() const { return m_dropped; }

private:
    QString m_dir;
    int m_dropped = 0;
};

} // namespace greenpulse::sim
