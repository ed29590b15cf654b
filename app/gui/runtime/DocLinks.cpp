#include "runtime/DocLinks.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace greenpulse::app::doclinks {

QStringList searchFolders()
{
    const QDir bin(QCoreApplication::applicationDirPath());
    return {
        bin.absoluteFilePath(QStringLiteral("../share/doc/greenpulse")), // installed: <prefix>/bin
        QStringLiteral("/usr/share/doc/greenpulse"),
        bin.absoluteFilePath(QStringLiteral("../..")),    // a build tree: <source>/build/bin
        bin.absoluteFilePath(QStringLiteral("../../..")), // tests: <source>/build/tests/...
    };
}

QString find(const QString &relativePath)
{
    for (const QString &folder : searchFolders()) {
        const QFileInfo file(QDir(folder).absoluteFilePath(relativePath));
        if (file.isFile()) {
            return file.canonicalFilePath();
        }
    }
    return {};
}

} // namespace greenpulse::app::doclinks
