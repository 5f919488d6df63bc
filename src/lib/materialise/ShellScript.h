#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vcluster::materialise {

// The one quoting function for every value a generated script interpolates:
// single quotes, with embedded single quotes as '\''. Safe for any bytes.
std::string shellQuote(std::string_view text);

// One word of a generated command line. Values are always quoted; only the
// fixed snippets written in this code base may be raw.
class Word {
  public:
    Word(const std::string& text) : rendered_(shellQuote(text)) {}
    Word(const char* text) : rendered_(shellQuote(text)) {}
    // "$var" followed by a quoted suffix, e.g. under("root", "/etc/tgt/x.conf").
    static Word under(std::string_view variable, std::string_view suffix);
    // A constant snippet such as "${tgt_opts[@]}"; never pass data here.
    static Word raw(std::string_view snippet);
    const std::string& rendered() const { return rendered_; }

  private:
    struct RawTag {};
    Word(RawTag, std::string rendered) : rendered_(std::move(rendered)) {}
    std::string rendered_;
};

using ShellCommand = std::vector<Word>;
using ShellPipeline = std::vector<ShellCommand>;  // commands joined by '|'

// An apply or teardown script. Steps are grouped in sections (lvm, target,
// network, iscsi, vm, kit) that the caller can restrict with
// VCLUSTER_SECTIONS="network vm"; VCLUSTER_ROOT prefixes every installed
// file (tests install into a temporary tree). Idempotence comes from the
// step kinds: ensure() checks before creating, whenPresent() checks before
// removing, installFile() only copies what differs.
class ShellScript {
  public:
    explicit ShellScript(std::string title);
    void section(const std::string& name);
    void comment(std::string_view text);
    void run(const ShellCommand& command);
    void ensure(const ShellPipeline& present, const std::vector<ShellCommand>& create);
    void whenPresent(const ShellPipeline& present, const std::vector<ShellCommand>& remove);
    // Copies <script dir>/<relativeSource> to $VCLUSTER_ROOT<destination>.
    void installFile(const std::string& relativeSource, const std::string& destination,
                     unsigned mode);
    void removeFile(const std::string& destination);
    bool empty() const;
    std::string render() const;
    // The commands only (no prelude), for people: what a dry-run shows.
    std::string commands() const;

  private:
    struct Section {
        std::string name;
        std::vector<std::string> lines;
    };
    void add(std::string line);
    std::string title_;
    std::vector<Section> sections_;
};

std::string render(const ShellCommand& command);
std::string render(const ShellPipeline& pipeline);

}  // namespace vcluster::materialise
