#pragma once

// Small POSIX helpers for files that must survive a crash, a power cut or a full disk: every
// write checked, data fsync'd before a rename, the folder fsync'd after it, files created 0600 and
// the folders we create 0700. Used by the state file, its journal and the InfluxDB spool.

#include <QByteArray>
#include <QString>

namespace greenpulse::core::durable {

// Writes `data` to "<path>.tmp" (0600), fsyncs it, renames it over `path` and fsyncs the folder.
// On any failure the previous `path` is untouched, the temp file is removed and `error` says why.
bool writeAtomically(const QString &path, const QByteArray &data, QString *error);
// Writes all of `data` to `fd` (retrying short writes and EINTR); false with `error` otherwise.
bool writeAll(int fd, const QByteArray &data, QString *error);
// Opens `path` for appending (and reading), creating it 0600; -1 with `error` on failure.
int openForAppend(const QString &path, QString *error);
// fsync of a folder, so that a rename or a new file in it is durable.
bool syncDir(const QString &dir);
// Creates `dir` and its missing parents; the folders created here get mode 0700 (existing ones
// are left as they are: the state file may sit in a shared folder).
bool makePrivateDir(const QString &dir, QString *error);
// strerror(errno) as a QString.
QString lastSystemError();

} // namespace greenpulse::core::durable
