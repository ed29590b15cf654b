#include "base/DurableFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace greenpulse::core::durable {

namespace {

constexpr mode_t kFileMode = 0600;
constexpr mode_t kDirMode = 0700;

QByteArray nativePath(const QString &path)
{
    return QFile::encodeName(path);
}

bool fail(QString *error, const QString &what, const QString &path)
{
    if (error) {
        *error = QStringLiteral("%1 %2: %3").arg(what, path, lastSystemError());
    }
    return false;
}

} // namespace

QString lastSystemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

bool writeAll(int fd, const QByteArray &data, QString *error)
{
    const char *p = data.constData();
    qsizetype left = data.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, static_cast<size_t>(left));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            if (n == 0) {
                errno = ENOSPC;
            }
            if (error) {
                *error = lastSystemError();
            }
            return false;
        }
        p += n;
        left -= n;
    }
    return true;
}

int openForAppend(const QString &path, QString *error)
{
    const int fd =
        ::open(nativePath(path).constData(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, kFileMode);
    if (fd < 0) {
        fail(error, QStringLiteral("cannot open"), path);
        return -1;
    }
    ::fchmod(fd, kFileMode); // an older file may have been created 0644
    return fd;
}

bool syncDir(const QString &dir)
{
    const int fd = ::open(nativePath(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

bool writeAtomically(const QString &path, const QByteArray &data, QString *error)
{
    const QString temp = path + QStringLiteral(".tmp");
    const QByteArray tempName = nativePath(temp);
    const int fd =
        ::open(tempName.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, kFileMode);
    if (fd < 0) {
        return fail(error, QStringLiteral("cannot create"), temp);
    }
    ::fchmod(fd, kFileMode);
    QString why;
    bool ok = writeAll(fd, data, &why);
    if (ok && ::fsync(fd) != 0) {
        ok = false;
        why = lastSystemError();
    }
    if (::close(fd) != 0 && ok) { // NFS and some file systems report write errors only here
        ok = false;
        why = lastSystemError();
    }
    if (ok && ::rename(tempName.constData(), nativePath(path).constData()) != 0) {
        ok = false;
        why = lastSystemError();
    }
    if (!ok) {
        ::unlink(tempName.constData());
        if (error) {
            *error = QStringLiteral("cannot write %1: %2").arg(path, why);
        }
        return false;
    }
    syncDir(QFileInfo(path).absolutePath());
    return true;
}

bool makePrivateDir(const QString &dir, QString *error)
{
    QStringList missing;
    QString at = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    while (!at.isEmpty() && !QFileInfo::exists(at)) {
        missing.prepend(at);
        const QString parent = QFileInfo(at).absolutePath();
        if (parent == at) {
            break;
        }
        at = parent;
    }
    for (const QString &d : missing) {
        if (::mkdir(nativePath(d).constData(), kDirMode) != 0 && errno != EEXIST) {
            return fail(error, QStringLiteral("cannot create folder"), d);
        }
        ::chmod(nativePath(d).constData(), kDirMode); // the umask may have taken bits away
    }
    if (!QFileInfo(dir).isDir()) {
        if (error) {
            *error = QStringLiteral("%1 is not a folder").arg(dir);
        }
        return false;
    }
    return true;
}

} // namespace greenpulse::core::durable
