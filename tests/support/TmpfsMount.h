#pragma once

#include <QString>
#include <QTemporaryDir>

namespace greenpulse::test {

// A small tmpfs mounted on a temporary folder (needs root or CAP_SYS_ADMIN), to run out of disk
// space for real. Unmounted when this object goes away.
class TmpfsMount
{
public:
    explicit TmpfsMount(qint64 sizeBytes);
    ~TmpfsMount();
    TmpfsMount(const TmpfsMount &) = delete;
    TmpfsMount &operator=(const TmpfsMount &) = delete;

    bool isMounted() const { return m_mounted; }
    QString error() const { return m_error; } // why it could not be mounted
    QString path() const { return m_dir.path(); }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }

    // Writes a filler file until the file system is full (ENOSPC).
    bool fill();
    // Deletes the filler: the space is free again.
    void unfill();
    // Changes the size of the mounted file system.
    bool resize(qint64 sizeBytes);

private:
    QTemporaryDir m_dir;
    bool m_mounted = false;
    QString m_error;
};

} // namespace greenpulse::test
