#pragma once

// Where the documentation the Help menu opens lives: README.md and docs/*.md, installed by the
// Debian package (and cmake --install) in <prefix>/share/doc/greenpulse, or, when running from a
// build tree, in the source tree next to it.

#include <QString>
#include <QStringList>

namespace greenpulse::app::doclinks {

// Folders searched, in order, for `relativePath` ("README.md", "docs/dashboard.md").
QStringList searchFolders();
// The first existing file for `relativePath`; empty when none is found.
QString find(const QString &relativePath);

} // namespace greenpulse::app::doclinks
