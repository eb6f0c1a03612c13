// What a staff member may do, as named permissions. Each built-in role is a preset set of them
// (preset_permissions); an admin composes custom roles from the same names (StaffRole, a declared
// resource), and every check in the services asks for a permission, never for a role. Customers
// hold none: what they may do follows from being the requester, not from a permission. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/user.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan {

enum class Permission : std::uint8_t {
  kViewTickets,     // tickets.view: tickets of their own departments (and unrouted, assigned)
  kViewAllTickets,  // tickets.view_all: tickets of every department
  kCreateTickets,   // tickets.create
  kReply,           // tickets.reply: public replies (and drafts from the model endpoint)
  kAddNotes,        // tickets.note: internal notes
  kEditTickets,     // tickets.edit: status, priority, type, subject, tags, fields, followers
  kAssignTickets,   // tickets.assign: assignee and department
  kMergeTickets,    // tickets.merge: merge, split and link
  kManageContacts,  // contacts.manage: add and change contacts
  kViewOwnReports,  // reports.view: their own figures
  kViewDepartmentReports,  // reports.departments: their departments' figures
  kViewAllReports,         // reports.all: every department's figures
  kManageKnowledgeBase,    // kb.manage: write articles, categories and sections
  kManageSettings,         // settings.manage: the declared resources admins configure, jobs, mail
  kManageUsers,            // users.manage: agents, their roles and second factors, others' tokens
  kViewAudit,              // audit.view: the audit log
  kExportData,             // data.export: a contact's data export archive
  kEraseData,              // data.erase: erase a contact
};

inline constexpr int kPermissionCount = 18;

// A set of permissions, one bit each.
class PermissionSet {
 public:
  constexpr PermissionSet() = default;
  constexpr PermissionSet(std::initializer_list<Permission> list) {
    for (auto p : list) add(p);
  }
  static constexpr PermissionSet all() {
    PermissionSet s;
    s.bits_ = (std::uint32_t{1} << kPermissionCount) - 1;
    return s;
  }
  constexpr bool has(Permission p) const { return (bits_ & bit(p)) != 0; }
  constexpr void add(Permission p) { bits_ |= bit(p); }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr std::uint32_t bits() const { return bits_; }
  friend constexpr bool operator==(PermissionSet, PermissionSet) = default;

 private:
  static constexpr std::uint32_t bit(Permission p) {
    return std::uint32_t{1} << static_cast<unsigned>(p);
  }
  std::uint32_t bits_ = 0;
};

std::string_view permission_name(Permission p);
std::optional<Permission> parse_permission(std::string_view name);
// Every permission, in the order the matrix shows them.
const std::vector<Permission>& all_permissions();
// Its label in English and Chinese, for the desk's matrix and the API's description.
std::string_view permission_label(Permission p, bool zh);

// The names, in all_permissions order.
std::vector<std::string> permission_names(PermissionSet set);
// Names to a set; an unknown name is a 400 that names it (field `field`).
Result<PermissionSet> parse_permissions(const std::vector<std::string>& names,
                                        std::string_view field = "permissions");

// The built-in roles' presets: what each role could do before roles could be composed.
PermissionSet preset_permissions(Role role);

// The built-in role a custom role's holders count as wherever people are sorted by role (who a
// ticket may be assigned to, the two-factor policy, directory lists): an agent when the role may
// change tickets, a light agent otherwise. Custom roles are always staff roles.
Role base_role_of(PermissionSet set);

// A custom role (services/staff_roles.cpp declares the resource "roles").
struct StaffRole {
  std::int64_t id = 0;
  std::string name;     // English, or the only name
  std::string name_zh;  // Chinese; empty: `name` in both languages
  std::vector<std::string> permissions;
  Millis created_at = 0;
  Millis updated_at = 0;
};

}  // namespace gongdan
