#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cli/Command.h"

// The roll's commands inside Rocks' own `rocks` command. On a Rocks frontend
// /opt/rocks/bin/rocks is Rocks' Python launcher: it imports
// rocks.commands.<verb>.<noun...> (dropping words from the end until an
// import works) and runs Command(database).runWrapper(name, args). For each
// command of the roll that Rocks does not have, rocks-python-shims writes
// such a module, generated from the C++ plugin's own help (Rocks' docstring
// grammar: description, <arg>, <param>, <example>), whose run() hands the
// words, args and params to the roll's dispatcher and passes its output,
// errors and exit status through. Rocks' own commands (add host, list host,
// set attr, help...) get no module: Rocks' stay in charge there.
//
// The generated Python is written for Python 2.4 to 2.7 (Rocks 5 to 7) and
// parses under Python 3: no `except ... as`, no with, no conditional
// expressions, no str.format, ASCII only.
namespace vcluster::cli {

struct ShimFile {
    std::string path;  // relative to site-packages, e.g. rocks/commands/add/vcluster/__init__.py
    std::string content;
};

struct ShimTree {
    std::vector<ShimFile> files;
    // The top-most directories the roll owns (their parent is Rocks'), e.g.
    // rocks/commands/add/vcluster and rocks/commands/rollback: what the RPM lists.
    std::vector<std::string> ownedDirectories;
    // The roll's commands that are Rocks' own too, so no module was written.
    std::vector<std::string> rocksOwn;
};

// Rocks' command packages, one `<verb>/<noun...>` a line ('#' comments),
// as in src/rocks-python/rocks-owned-commands.txt. Throws Error when the
// file cannot be read.
std::set<std::string> readRocksPackages(const std::filesystem::path& file);

// The module tree for `commands` (words and help of each plugin).
// `dispatcher` is the absolute path the modules run.
ShimTree pythonShimTree(
    const std::vector<std::pair<std::vector<std::string>, CommandHelp>>& commands,
    const std::set<std::string>& rocksPackages, const std::string& dispatcher);

// The class docstring of one command, in Rocks' grammar (XML-escaped,
// ASCII), without the surrounding quotes.
std::string rocksDocstring(const std::vector<std::string>& words, const CommandHelp& help);

// `text` as the body of a Python triple-double-quoted string literal.
std::string pythonStringBody(const std::string& text);

}  // namespace vcluster::cli
