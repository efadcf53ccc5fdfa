/* messages.c — one catalogue of the API's error messages, in Vietnamese and English.
 *
 * Handlers and the core write their errors as English text naming the value and the rule
 * ("unit 'X': node '1.2': self points 5 exceed the node's max 1"). This file turns that text
 * into the message a user reads, in the language the request asks for: each entry matches an
 * error code, a field (or any) and a pattern of the English text, takes the values out of it
 * ({name} captures, * skips), and writes them into its Vietnamese or English wording — with
 * numbers as the language writes them ("1,00 điểm"), waits in minutes ("khoảng 15 phút"),
 * fields, actions and statuses by their names. The entry's name is the stable machine code
 * the answer carries beside the text ("rule"). A message no entry matches gets its error
 * code's general wording, so no English reaches a Vietnamese page. Entries are tried in
 * order: specific first. */
#include "messages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct entry {
    const char *code;  /* the answer's "code" */
    const char *field; /* the answer's "field", or NULL for any */
    const char *match; /* pattern of the English text: {name} captures, * skips */
    const char *rule;  /* stable machine name */
    const char *vi, *en;
};

/* Templates: {name} a captured value as it is; {name:num2} a number with two decimals;
 * {name:date} a day YYYY-MM-DD as dd/mm/yyyy in Vietnamese (as it is in English);
 * {name:wait} seconds as a wait; {name:label} / {name:action} / {name:status} a field, an
 * action or a status by its name; {field} the answer's field by its name. */
static const struct entry catalogue[] = {
    /* the citizen's online loop (issue 16): errors of efile.c, notify.c and payment.c the
     * blocks below do not word; first, before the general "sign in" of unauthorized
     * (tests/unit/test_online_messages.c checks that every error of those files has one) */
    {"unauthorized", "cchc_citizen", "confirm your phone or e-mail first*", "citizen.confirm",
     "Vui lòng xác nhận số điện thoại hoặc thư điện tử bằng mã xác nhận trước.",
     "Please confirm your phone number or e-mail with a one-time code first."},
    {"unauthorized", NULL, "no confirmed citizen session*", "citizen.confirm",
     "Vui lòng xác nhận số điện thoại hoặc thư điện tử bằng mã xác nhận trước.",
     "Please confirm your phone number or e-mail with a one-time code first."},
    {"unauthorized", "token", "give the unsubscribe token of a message*", "notify.optout_who",
     "Vui lòng mở đường dẫn hủy nhận thông báo trong tin nhắn, hoặc xác nhận số điện thoại, thư "
     "điện tử trước.",
     "Open the unsubscribe link of a message, or confirm your phone number or e-mail first."},
    /* ?format= of a table's export (export.c) */
    {"invalid", "format", "format '{value}' is not known here (json, xlsx or pdf)", "export.format",
     "Không xuất được bảng theo định dạng '{value}': chọn xlsx (Excel) hoặc pdf.",
     "The table cannot be exported as '{value}': choose xlsx (Excel) or pdf."},
    {"not_found", "doc", "document '{doc}': a position from 1 to {max}", "efile.doc_position",
     "Không có giấy tờ số {doc}: thủ tục có các giấy tờ số 1 đến {max}.",
     "There is no document {doc}: the procedure's documents are numbered 1 to {max}."},
    {"wrong_type", "paper", "paper* must be a document position from 1 to {max}",
     "efile.paper_position",
     "Giấy tờ nộp bản giấy được ghi bằng số thứ tự của giấy tờ, từ 1 đến {max}.",
     "Documents shown on paper are given by their position, 1 to {max}."},
    {"not_found", "code", "dossier '{code}' was not filed online", "efile.not_filed_online",
     "Hồ sơ {code} không được nộp trực tuyến.", "Dossier {code} was not filed online."},
    {"not_found", "unit", "unit '{unit}' does not exist", "unit.not_found",
     "Không có đơn vị {unit}.", "Unit {unit} does not exist."},
    {"invalid", "state", "state '{v}': must be pending, sent, failed, dead or skipped",
     "notify.state",
     "Trạng thái “{v}” không hợp lệ: chỉ nhận pending (chờ gửi), sent (đã gửi), failed (gửi "
     "lỗi, sẽ thử lại), dead (không gửi được) hoặc skipped (không gửi).",
     "State “{v}” is not valid: pending, sent, failed, dead or skipped."},
    {"invalid", "limit", "limit '{v}': must be a whole number 1 to {max}", "list.limit",
     "Số dòng “{v}” không hợp lệ: một số nguyên từ 1 đến {max}.",
     "The number of rows “{v}” is not valid: a whole number from 1 to {max}."},
    {"not_found", "id", "no message '{id}'", "notify.not_found", "Không tìm thấy thông báo {id}.",
     "No message {id}."},
    {"not_found", NULL, "online payment is not configured here", "payment.off",
     "Nơi này chưa nhận thanh toán trực tuyến; vui lòng nộp tại Bộ phận Một cửa.",
     "Online payment is not available here; please pay at the one-stop desk."},
    {"invalid", "status", "status '{v}': not pending, paid, failed or cancelled", "payment.status",
     "Trạng thái thanh toán “{v}” không hợp lệ: chỉ nhận pending (đang chờ), paid (đã thanh "
     "toán), failed (không thành công) hoặc cancelled (đã hủy).",
     "Payment status “{v}” is not valid: pending, paid, failed or cancelled."},
    {"invalid", "status", "status '{v}': not pending, paid, failed, cancelled or mismatched",
     "payment.status",
     "Trạng thái thanh toán “{v}” không hợp lệ: chỉ nhận pending (đang chờ), paid (đã thanh "
     "toán), failed (không thành công), cancelled (đã hủy) hoặc mismatched (lệch với cổng thanh "
     "toán).",
     "Payment status “{v}” is not valid: pending, paid, failed, cancelled or mismatched."},
    {"not_found", "ref", "no such payment", "payment.not_found",
     "Không tìm thấy giao dịch thanh toán này.", "No such payment."},
    {"missing_field", "day", "query argument 'day'*is required", "payment.day",
     "Vui lòng chọn ngày đối soát.", "Choose the day to reconcile (YYYY-MM-DD)."},

    /* a phone or e-mail confirmed by a one-time code (src/core/notify.c, notify_store.c) */
    {"invalid", NULL, "*: a phone number has only digits*", "contact.chars",
     "Số điện thoại chỉ gồm chữ số; địa chỉ thư điện tử phải có “@”.",
     "A phone number has only digits; an e-mail address has an '@'."},
    {"invalid", NULL, "*: a phone number written with + must be a Vietnamese one*",
     "contact.foreign", "Số điện thoại viết với dấu + phải là số Việt Nam: +84 và 9 chữ số.",
     "A phone number written with + must be a Vietnamese one: +84 and 9 digits."},
    {"invalid", NULL, "*: a phone number must be 0 and 9 digits*this one has {n} digits",
     "contact.digits",
     "Số điện thoại gồm số 0 và 9 chữ số (hoặc +84 và 9 chữ số); số đã nhập có {n} chữ số.",
     "A phone number is 0 and 9 digits (or +84 and 9 digits); this one has {n} digits."},
    {"invalid", NULL, "*: not a mobile number*", "contact.mobile",
     "Không phải số di động (sau số 0 là 3, 5, 7, 8 hoặc 9): mã xác nhận được gửi bằng SMS hoặc "
     "Zalo.",
     "Not a mobile number (after the 0 comes 3, 5, 7, 8 or 9): codes are sent by SMS or Zalo."},
    {"invalid", NULL, "*: an e-mail address has at most 254 bytes", "contact.email_long",
     "Địa chỉ thư điện tử dài quá 254 byte.", "An e-mail address has at most 254 bytes."},
    {"invalid", NULL, "*: an e-mail address has exactly one '@'", "contact.email_at",
     "Địa chỉ thư điện tử có đúng một dấu “@”.", "An e-mail address has exactly one '@'."},
    {"invalid", NULL, "*: the part before '@' must have 1 to 64 characters", "contact.email_local",
     "Phần trước “@” của địa chỉ thư điện tử có từ 1 đến 64 ký tự.",
     "The part before '@' must have 1 to 64 characters."},
    {"invalid", NULL, "*: the part before '@' may hold*", "contact.email_local_chars",
     "Phần trước “@” chỉ gồm chữ cái, chữ số và các ký hiệu cho phép, không có dấu chấm ở đầu, ở "
     "cuối hoặc hai dấu chấm liền nhau.",
     "The part before '@' holds letters, digits and the allowed signs, with no dot at its ends or "
     "twice in a row."},
    {"invalid", NULL, "*: the domain after '@' must be labels*", "contact.email_domain",
     "Tên miền sau “@” không hợp lệ (ví dụ đúng: example.gov.vn).",
     "The domain after '@' is not valid (for example example.gov.vn)."},
    {"invalid", NULL, "*: required (a mobile phone number or an e-mail address)",
     "contact.required", "Vui lòng nhập số điện thoại di động hoặc địa chỉ thư điện tử.",
     "Enter a mobile phone number or an e-mail address."},
    {"invalid", NULL, "*: longer than {max} bytes", "contact.long",
     "Số điện thoại hoặc thư điện tử dài quá {max} byte.",
     "The phone number or e-mail is longer than {max} bytes."},
    {"invalid", "code", "code: must be the {n} digits sent to the contact", "otp.format",
     "Mã xác nhận gồm {n} chữ số đã gửi đến Ông/Bà.", "The code is the {n} digits sent to you."},
    {"invalid", "code", "code: wrong code ({n} more tries for this code)", "otp.wrong",
     "Mã xác nhận không đúng (còn {n} lần thử với mã này).",
     "Wrong code ({n} more tries for this code)."},
    {"invalid", "code", "code: tried wrongly {n} times; ask for a new code", "otp.exhausted",
     "Đã nhập sai {n} lần: vui lòng yêu cầu mã mới.",
     "Tried wrongly {n} times: please ask for a new code."},
    {"invalid", "code", "code: no live code for this contact*", "otp.expired",
     "Mã xác nhận đã hết hạn hoặc đã được dùng: vui lòng yêu cầu mã mới.",
     "The code has expired or was used: please ask for a new code."},
    {"not_found", "session", "no citizen session", "citizen.confirm",
     "Vui lòng xác nhận số điện thoại hoặc thư điện tử bằng mã xác nhận trước.",
     "Please confirm your phone number or e-mail with a one-time code first."},
    {"not_found", "token", "token: unknown unsubscribe token", "notify.optout_token",
     "Đường dẫn hủy nhận thông báo không đúng hoặc đã cũ.",
     "The unsubscribe link is wrong or out of date."},
    /* the outbox (notify_store.c) */
    {"invalid", "event", "event *: unknown", "notify.event", "Loại thông báo không hợp lệ.",
     "Unknown kind of message."},
    {"invalid", "channel", "channel '{v}': must be email, sms or zalo", "notify.channel",
     "Kênh “{v}” không hợp lệ: chỉ nhận email (thư điện tử), sms hoặc zalo.",
     "Channel “{v}” is not valid: email, sms or zalo."},
    {"not_found", "code", "no dossier with code '{code}'", "dossier.not_found",
     "Không có hồ sơ mã {code}.", "No dossier has the code {code}."},
    {"not_found", "id", "no message {id}", "notify.not_found", "Không tìm thấy thông báo {id}.",
     "No message {id}."},
    {"conflict", "id", "message {id} is '{state}': only a dead message can be replayed",
     "notify.replay",
     "Thông báo {id} đang ở trạng thái “{state}”: chỉ gửi lại được thông báo không gửi được "
     "(dead).",
     "Message {id} is “{state}”: only a dead message can be replayed."},
    {"conflict", "id", "message {id}: the lease was taken over", "notify.lease",
     "Thông báo {id} đang được một tiến trình khác gửi.",
     "Message {id} is being sent by another process."},
    {"invalid", NULL, "*: the message's values exceed {max} bytes", "notify.values",
     "Nội dung thông báo dài quá {max} byte.", "The message's values exceed {max} bytes."},
    {"not_found", "event", "no template for '{event}' in force on {day}", "notify.template",
     "Chưa có mẫu thông báo “{event}” áp dụng cho ngày {day:date}.",
     "No template for “{event}” is in force on {day}."},
    /* online filing's documents (src/core/efile.c, efile_store.c) */
    {"not_found", "decider", "deciding unit '{unit}' does not exist", "efile.decider",
     "Không có đơn vị giải quyết {unit}.", "The deciding unit {unit} does not exist."},
    {"invalid", "doc", "doc {doc}: procedure {proc} lists {n} documents*", "efile.doc_position",
     "Không có giấy tờ số {doc}: thủ tục {proc} có {n} giấy tờ.",
     "There is no document {doc}: procedure {proc} lists {n} documents."},
    {"invalid", "file", "file: no content", "efile.empty", "Tệp rỗng: vui lòng chọn lại tệp.",
     "The file is empty: please choose it again."},
    {"not_found", "doc", "document {doc} of filing * was not uploaded", "efile.doc_missing",
     "Giấy tờ số {doc} chưa được tải lên.", "Document {doc} was not uploaded."},
    {"not_found", "doc", "document content missing", "efile.doc_content",
     "Không đọc được nội dung giấy tờ: vui lòng tải lên lại.",
     "The document's content cannot be read: please upload it again."},
    {"invalid", "name", "name: a file name of 1 to {max} bytes is required", "efile.name",
     "Tên tệp phải có từ 1 đến {max} byte.", "A file name of 1 to {max} bytes is required."},
    {"invalid", "name", "name '{name}': a file name, without*", "efile.name_chars",
     "Tên tệp “{name}” không hợp lệ: không chứa “/”, “\\” hoặc ký tự điều khiển.",
     "The file name “{name}” is not valid: no '/', '\\' or control characters."},
    {"invalid", "file", "file '{name}': empty", "efile.empty",
     "Tệp {name} rỗng: vui lòng chọn lại tệp.",
     "The file {name} is empty: please choose it again."},
    {"invalid", "file", "file '{name}': * bytes, more than the limit {max}", "efile.file_size",
     "Tệp {name} quá lớn: mỗi tệp tối đa {max} byte.",
     "The file {name} is too large: at most {max} bytes per file."},
    {"invalid", "file", "file '{name}': the dossier's documents would be {size} bytes*limit {max}",
     "efile.dossier_size",
     "Thêm tệp {name} thì tổng dung lượng hồ sơ là {size} byte, vượt giới hạn {max} byte.",
     "With the file {name} the dossier's documents would be {size} bytes, over the limit of {max} "
     "bytes."},
    {"invalid", "file", "file '{name}': content is '{type}', must be PDF, JPEG or PNG",
     "efile.type", "Tệp {name} có định dạng {type}: chỉ nhận PDF, JPEG hoặc PNG.",
     "The file {name} is {type}: only PDF, JPEG or PNG are accepted."},
    {"invalid", "documents", "documents: upload at least one", "efile.none",
     "Vui lòng tải lên ít nhất một giấy tờ.", "Upload at least one document."},
    /* payments (src/core/payment.c, src/store/payment.c) */
    {"not_found", "payment", "*: no such payment", "payment.not_found",
     "Không tìm thấy giao dịch thanh toán này.", "No such payment."},
    {"conflict", "code", "dossier {code} is {status}: nothing to pay", "payment.closed",
     "Hồ sơ {code} ở trạng thái “{status:status}”: không có khoản nào phải nộp.",
     "Dossier {code} is “{status:status}”: nothing to pay."},
    {"conflict", "amount_vnd", "dossier {code}: the fee is now {now} VND, not {was}",
     "payment.fee_changed",
     "Mức phí, lệ phí của hồ sơ {code} nay là {now} đồng, không phải {was} đồng: vui lòng tải "
     "lại trang.",
     "The fee of dossier {code} is now {now} VND, not {was}: please reload the page."},
    {"invalid", NULL, "* {v}: must be 1 to 1000000000000 (VND)", "payment.amount",
     "Số tiền {v} không hợp lệ: từ 1 đến 1.000.000.000.000 đồng.",
     "The amount {v} is not valid: 1 to 1,000,000,000,000 VND."},
    /* signing in, sessions, rights */
    {"invalid_credentials", NULL, "*", "auth.credentials", "Sai tên đăng nhập hoặc mật khẩu.",
     "Wrong username or password."},
    {"totp_required", NULL, "*", "auth.totp_required",
     "Tài khoản này dùng xác thực hai lớp: nhập mã 6 chữ số trên ứng dụng xác thực (hoặc một mã "
     "khôi phục).",
     "This account has a second factor: enter the 6-digit code of the authenticator app (or a "
     "recovery code)."},
    {"totp_invalid", NULL, "this code was used already*", "auth.totp_replay",
     "Mã này vừa được dùng. Vui lòng chờ mã tiếp theo trên ứng dụng.",
     "This code was used already. Please wait for the next code of the app."},
    {"totp_invalid", NULL, "this recovery code was used already*", "auth.recovery_used",
     "Mã khôi phục này đã được dùng.", "This recovery code was used already."},
    {"totp_invalid", NULL, "*", "auth.totp_invalid",
     "Mã xác thực không đúng. Vui lòng nhập mã 6 chữ số đang hiện trên ứng dụng.",
     "Wrong code. Please enter the 6 digits the app shows now."},
    {"totp_enrol_required", NULL, "*", "auth.totp_enrol",
     "Quản trị viên phải đăng ký xác thực hai lớp trước khi đăng nhập. Vui lòng liên hệ người "
     "vận hành hệ thống.",
     "Administrators must enrol a second factor before signing in. Please contact the operator."},
    {"conflict", "totp", "a second factor is enrolled already*", "auth.totp_enrolled",
     "Tài khoản đã đăng ký xác thực hai lớp. Muốn đổi thiết bị, vui lòng đề nghị quản trị viên "
     "đặt lại.",
     "A second factor is enrolled already. To change the device, ask an administrator to reset "
     "it."},
    {"conflict", "totp", "no second factor waits*", "auth.totp_none",
     "Chưa có mã bí mật chờ xác nhận: vui lòng bắt đầu đăng ký lại.",
     "No secret waits for confirmation: please start the enrolment again."},
    {"rate_limited", NULL,
     "too many failed sign-ins for this account*try again in {seconds} "
     "seconds*",
     "auth.user_locked",
     "Tài khoản này bị tạm khóa với thiết bị mới do đăng nhập sai nhiều lần từ nhiều địa chỉ. "
     "Hãy đăng nhập từ thiết bị đã dùng trước đây hoặc nhập mã xác thực hai lớp, thử lại sau "
     "{seconds:wait}, hoặc đề nghị quản trị viên mở khóa.",
     "This account is locked for new devices after failed sign-ins from several addresses. Sign "
     "in from a device you used before or with your second-factor code, try again in "
     "{seconds:wait}, or ask an administrator to unlock it."},
    {"rate_limited", NULL, "too many feedback submissions; try again in {seconds} seconds",
     "feedback.rate",
     "Địa chỉ này đã gửi nhiều phản ánh trong thời gian ngắn. Vui lòng thử lại sau {seconds:wait}.",
     "Too many feedback submissions from this address. Please try again in {seconds:wait}."},
    {"rate_limited", NULL, "*try again in {seconds} seconds*", "rate.retry",
     "Quá nhiều lần thử không thành công. Vui lòng thử lại sau {seconds:wait}.",
     "Too many failed attempts. Please try again in {seconds:wait}."},
    {"unauthorized", NULL, "*", "auth.required",
     "Bạn chưa đăng nhập hoặc phiên đăng nhập đã hết. Vui lòng đăng nhập lại.",
     "You are not signed in, or the session has ended. Please sign in again."},
    {"csrf", NULL, "*", "auth.csrf", "Phiên làm việc không hợp lệ. Vui lòng tải lại trang.",
     "The session token is missing or wrong. Please reload the page."},
    {"forbidden", "at", "at {time}: earlier than {limit}, the start of the tolerance*",
     "dossier.backdate_role",
     "Thời điểm {time} sớm hơn {limit} (mốc sớm nhất được ghi lùi thời gian). Chỉ lãnh đạo hoặc "
     "quản trị hệ thống được ghi lùi thời gian, và phải ghi lý do.",
     "The time {time} is earlier than {limit}, the earliest time that may be recorded without "
     "backdating. Only a leader or an administrator may backdate an action, with a reason."},
    {"forbidden", "inspection", "inspection #{id} is recorded by the inspecting unit '{unit}'",
     "insp.inspector_only",
     "Chỉ đơn vị kiểm tra ({unit}) ghi nhận cuộc kiểm tra này; đơn vị được kiểm tra theo dõi kết "
     "quả và thực hiện các nhiệm vụ khắc phục.",
     "Only the inspecting unit ({unit}) records this inspection; the inspected unit follows it "
     "and carries out the remedies."},
    /* the periodic CCHC reports: who acts on a report (preport.c) */
    {"forbidden", "report", "report #{id}: only the parent unit {unit} may *",
     "preport.parent_only",
     "Chỉ đơn vị cấp trên ({unit}) được tiếp nhận hoặc trả lại báo cáo số {id}.",
     "Only the parent unit ({unit}) may accept or return report {id}."},
    {"forbidden", "report", "report #{id}: only unit {unit} may *", "preport.unit_only",
     "Chỉ đơn vị {unit} được sửa, cập nhật số liệu hoặc gửi báo cáo số {id}.",
     "Only unit {unit} may edit, refresh or submit report {id}."},
    {"forbidden", "calendar", "the calendar is the province's*", "calendar.province_admin",
     "Lịch làm việc là của cả tỉnh: chỉ quản trị viên cấp tỉnh được ghi hoặc xóa quyết định "
     "về ngày nghỉ.",
     "The working calendar is the province's: only an administrator of the whole province "
     "records or deletes a decision on days off."},
    {"forbidden", "procedure", "the procedures catalogue is the province's*",
     "procedure.province_admin",
     "Danh mục thủ tục hành chính dùng chung cho cả tỉnh: chỉ quản trị viên cấp tỉnh được sửa.",
     "The procedures catalogue is the province's: only an administrator of the whole province "
     "changes it."},
    {"forbidden", "units", "unit '{u}' is your own scope*", "unit.merge_own_scope",
     "Đơn vị {u} là phạm vi quản trị của bạn: việc sáp nhập đơn vị này do quản trị viên cấp trên "
     "ghi nhận.",
     "Unit {u} is your own scope: an administrator above it records its merger."},
    {"forbidden", NULL, "*", "auth.forbidden",
     "Vai trò hoặc phạm vi đơn vị của bạn không cho phép thao tác này.",
     "Your role or unit scope does not allow this."},
    /* the desk's queue and appointments (queue.c, docs/queue.md) */
    {"rate_limited", "limit", "*already took {n} numbers today (at most {max} a day)",
     "queue.daily_limit",
     "Địa chỉ hoặc số điện thoại này đã lấy {n} số hôm nay (tối đa {max} số mỗi ngày). Vui lòng "
     "lấy số tại quầy.",
     "This address or phone number took {n} numbers today (at most {max} a day). Please take a "
     "number at the desk."},
    {"invalid", "field", "field '{v}': no open counter of unit '*' serves it", "queue.no_counter",
     "Chưa có quầy nào đang mở phục vụ lĩnh vực “{v}”.", "No open counter serves the field “{v}”."},
    {"invalid", "field", "field '{v}': counter {n} does not serve it", "queue.field_counter",
     "Quầy số {n} không phục vụ lĩnh vực “{v}”.", "Counter {n} does not serve the field “{v}”."},
    {"not_found", "queue", "no one is waiting at counter {n}", "queue.empty",
     "Không còn ai chờ ở quầy số {n}.", "No one is waiting at counter {n}."},
    {"conflict", "action", "cannot '*' a ticket in state '*'", "queue.transition",
     "Số thứ tự đang ở trạng thái không cho phép thao tác này.",
     "The number's state does not allow this."},
    {"conflict", "slot", "slot {t} is full*", "queue.slot_full",
     "Khung giờ {t} đã kín chỗ. Vui lòng chọn giờ khác.",
     "The {t} slot is full. Please pick another time."},
    {"invalid", "day", "day: the desk is closed that day (holiday)", "queue.holiday",
     "Bộ phận Một cửa nghỉ vào ngày này (ngày lễ, ngày nghỉ bù). Vui lòng chọn ngày khác.",
     "The desk is closed on this day (a public holiday or day off). Please pick another day."},
    {"invalid", "day", "day: the desk is closed that day*", "queue.closed",
     "Bộ phận Một cửa không tiếp nhận vào ngày này. Vui lòng chọn ngày khác.",
     "The desk does not receive on this day. Please pick another day."},
    {"invalid", "day", "day: from today to 30 days ahead", "queue.day_range",
     "Chỉ đặt lịch từ hôm nay đến 30 ngày tới.", "Appointments are from today to 30 days ahead."},
    {"invalid", "time", "time *: not the start of a {m}-minute slot*", "queue.slot_grid",
     "Giờ hẹn phải là đầu một khung {m} phút trong giờ tiếp nhận.",
     "The time must start a {m}-minute slot within the desk's hours."},
    {"invalid", "phone", "phone*: not a Vietnamese phone number*", "queue.phone",
     "Số điện thoại không đúng: bắt đầu bằng 0 (hoặc +84), 10–11 chữ số.",
     "Not a Vietnamese phone number: starting with 0 (or +84), 10–11 digits."},
    {"not_found", "code", "no appointment with this code and phone", "queue.appointment",
     "Không tìm thấy lịch hẹn có mã và số điện thoại này.",
     "No appointment has this code and phone number."},
    /* feedback and petitions (feedback.c) */
    {"not_found", "code", "no feedback with code*", "feedback.not_found",
     "Không tìm thấy phản ánh, kiến nghị có mã này.", "No feedback item has this code."},
    {"conflict", "action", "cannot '{action}' feedback in state '{status}'*", "feedback.transition",
     "Không thể {action:action} khi phản ánh, kiến nghị đang ở trạng thái “{status:status}”.",
     "Not possible to {action:action} while the feedback is “{status:status}”."},
    {"conflict", "consent", "*", "feedback.consent",
     "Người gửi không đồng ý công khai, nên không thể công khai câu trả lời.",
     "The sender did not agree to publication, so the answer cannot be published."},
    {"conflict", "score", "*already rated*", "feedback.rated", "Câu trả lời này đã được đánh giá.",
     "This answer has already been rated."},
    {"conflict", "score", "*not answered yet*", "feedback.not_answered",
     "Chỉ có thể đánh giá sau khi đã có câu trả lời.", "The answer can be rated once it is given."},
    {"invalid", NULL, "*only JPEG, PNG images and PDF are accepted*", "feedback.file_type",
     "Tệp đính kèm chỉ nhận ảnh JPEG, PNG hoặc tệp PDF.",
     "Attachments must be JPEG or PNG images or PDF files."},
    {"invalid", "email", "*", "feedback.email", "Địa chỉ thư điện tử không hợp lệ.",
     "Invalid e-mail address."},
    {"invalid", "body", "*", "feedback.body",
     "Nội dung phản ánh phải có, là văn bản hợp lệ và không quá 4.000 byte.",
     "The text is required, must be valid text and at most 4,000 bytes."},
    /* online filing (efile.c, docs/efile.md) */
    {"unsupported_media_type", "file",
     "file '{name}': content is '{type}', must be PDF, JPEG or PNG", "efile.type",
     "Tệp {name} có định dạng {type}: chỉ nhận PDF, JPEG hoặc PNG.",
     "The file {name} is {type}: only PDF, JPEG or PNG are accepted."},
    {"too_large", "file",
     "file '{name}': the dossier's documents would be {size} bytes, more than the limit {max}",
     "efile.dossier_size",
     "Thêm tệp {name} thì tổng dung lượng hồ sơ là {size} byte, vượt giới hạn {max} byte.",
     "With the file {name} the dossier's documents would be {size} bytes, over the limit of {max} "
     "bytes."},
    {"too_large", "file", "file*more than the limit {max}*", "efile.file_size",
     "Tệp quá lớn: mỗi tệp tối đa {max} byte.",
     "The file is too large: at most {max} bytes per file."},
    {"invalid", "documents", "documents: document {doc} '{title}' is missing", "efile.missing",
     "Còn thiếu giấy tờ số {doc}: {title}.", "Document {doc} is missing: {title}."},
    {"invalid", "documents", "documents: upload the documents the desk asked for*",
     "efile.no_supplement", "Vui lòng tải lên giấy tờ được yêu cầu bổ sung trước khi gửi lại.",
     "Upload the documents the desk asked for before sending the dossier again."},
    {"invalid", "paper", "*", "efile.paper",
     "Thủ tục trực tuyến toàn trình: mọi giấy tờ phải nộp trực tuyến, không nộp bản giấy.",
     "A fully online procedure takes every document online, none on paper."},
    {"invalid", "contact", "*", "efile.contact",
     "Cần số điện thoại hoặc thư điện tử để theo dõi hồ sơ.",
     "A phone number or e-mail to follow the dossier is required."},
    {"conflict", "procedure", "procedure {code} is not offered online", "efile.not_online",
     "Thủ tục {code} chưa được cung cấp trực tuyến.", "Procedure {code} is not offered online."},
    {"conflict", "id", "filing * was submitted as dossier {code} (status {status})*",
     "efile.submitted",
     "Hồ sơ {code} đã nộp (trạng thái “{status:status}”): chỉ tải lại giấy tờ khi bộ phận một cửa "
     "yêu cầu.",
     "Dossier {code} was submitted (“{status:status}”): documents are uploaded again only when the "
     "desk asks."},
    {"conflict", "result", "*returned at the desk*", "efile.result_desk",
     "Kết quả của thủ tục này được trả tại bộ phận một cửa, không trả trực tuyến.",
     "The result of this procedure is returned at the desk, not online."},
    {"not_found", "result", "*", "efile.no_result", "Hồ sơ chưa có kết quả điện tử.",
     "The dossier has no electronic result yet."},
    {"not_found", "id", "no online filing*", "efile.not_found",
     "Không tìm thấy hồ sơ nộp trực tuyến này.", "No online filing has this id."},
    /* the citizen's lookup */
    {"invalid", "phone", "give exactly one second factor*", "lookup.one_factor",
     "Nhập số điện thoại hoặc 4 số cuối số định danh (chỉ một trong hai).",
     "Give the phone number or the last 4 digits of the ID number (one of the two)."},
    {"not_found", "code", "no dossier matches*", "lookup.not_found",
     "Không tìm thấy hồ sơ khớp với mã hồ sơ và số điện thoại (hoặc số định danh) đã nhập.",
     "No dossier matches this code and phone number (or ID digits)."},
    {"conflict", "code", "*already rated*", "lookup.rated", "Hồ sơ này đã được đánh giá.",
     "This dossier has already been rated."},
    /* online payment (payment.c) */
    {"conflict", "code", "*fee of this dossier is already paid*", "payment.paid",
     "Phí, lệ phí của hồ sơ này đã được thanh toán.", "The fee of this dossier is already paid."},
    {"conflict", "code", "*fee is already paid*", "payment.paid",
     "Phí, lệ phí của hồ sơ này đã được thanh toán.", "The fee of this dossier is already paid."},
    {"conflict", "code", "this dossier is closed: nothing to pay", "payment.closed",
     "Hồ sơ đã kết thúc (từ chối, rút hoặc hủy): không có khoản nào phải nộp.",
     "The dossier is closed (refused, withdrawn or cancelled): nothing to pay."},
    {"conflict", "code", "*no fee to pay online*", "payment.no_fee",
     "Hồ sơ này chưa có khoản phí, lệ phí nào để thanh toán trực tuyến.",
     "This dossier has no fee to pay online yet."},
    {"conflict", "amount_vnd", "*the catalogue fixes its fee at {amount} VND*", "payment.fixed_fee",
     "Mức phí, lệ phí của thủ tục này do danh mục quy định ({amount} đồng); chỉ nhập số tiền cho "
     "khoản do HĐND tỉnh quy định.",
     "The catalogue fixes this procedure's fee ({amount} VND); only fees the province sets are "
     "entered here."},
    {"conflict", "ref", "a receipt exists once the payment is paid", "payment.no_receipt",
     "Biên lai được lập khi thanh toán thành công.",
     "A receipt is issued once the payment is paid."},
    {"provider", NULL, "*", "payment.provider",
     "Chưa kết nối được cổng thanh toán. Vui lòng thử lại sau.",
     "The payment gateway cannot be reached now. Please try again later."},
    {"unavailable", NULL, "online payment is not configured here", "payment.off",
     "Nơi này chưa nhận thanh toán trực tuyến; vui lòng nộp tại Bộ phận Một cửa.",
     "Online payment is not available here; please pay at the one-stop desk."},
    {"bad_signature", NULL, "*", "payment.signature", "Chữ ký của thông báo thanh toán không đúng.",
     "The payment notice's signature does not match."},
    /* applicants and dossiers */
    {"invalid", "phone", "*", "applicant.phone",
     "Số điện thoại không hợp lệ: số 0 và 9 chữ số (ví dụ 0912 345 678), hoặc +84 và 9 chữ số.",
     "Invalid phone number: 0 and 9 digits (e.g. 0912 345 678), or +84 and 9 digits."},
    {"invalid", "idno", "*", "applicant.idno",
     "Số định danh không hợp lệ: 12 chữ số (căn cước) hoặc 9 chữ số (chứng minh nhân dân cũ).",
     "Invalid ID number: 12 digits (citizen ID card) or 9 digits (old ID card)."},
    {"invalid", "name", "applicant name: must not be empty*", "applicant.name",
     "Vui lòng nhập họ tên người nộp hồ sơ.", "Please enter the applicant's name."},
    {"not_found", "code", "dossier '{code}' does not exist*", "dossier.not_found",
     "Không có hồ sơ mã {code} trong phạm vi đơn vị của bạn.",
     "There is no dossier {code} within your unit's scope."},
    {"conflict", "action", "cannot '{action}' a dossier in state '{status}'*", "dossier.transition",
     "Không thể {action:action} khi hồ sơ đang ở trạng thái “{status:status}”.",
     "Not possible to {action:action} while the dossier is “{status:status}”."},
    {"invalid", "at", "time {time}: before the dossier's latest action at {latest}",
     "dossier.time_order", "Thời điểm {time} sớm hơn thao tác gần nhất của hồ sơ ({latest}).",
     "The time {time} is before the dossier's latest action ({latest})."},
    {"missing_field", "note", "at {time}: earlier than {limit}, the start of the tolerance*",
     "dossier.backdate_reason",
     "Thời điểm {time} sớm hơn {limit}: ghi lùi thời gian phải có lý do (ô “Ghi chú”).",
     "The time {time} is earlier than {limit}: a backdated action needs a reason (“note”)."},
    {"missing_field", "note", "*", "dossier.reason",
     "Vui lòng ghi lý do (nội dung này in trên phiếu gửi người nộp và lưu vào nhật ký).",
     "Please give the reason (it goes on the form given to the applicant and into the log)."},
    {"missing_field", "new_due_at", "*", "dossier.new_due",
     "Vui lòng chọn ngày hẹn trả kết quả mới.", "Please choose the new appointment."},
    /* accounts */
    {"invalid", "password", "password: must be {min} to {max} bytes long*", "user.password",
     "Mật khẩu phải dài từ {min} đến {max} ký tự.",
     "The password must be {min} to {max} characters long."},
    {"invalid", "username", "*", "user.username",
     "Tên đăng nhập không hợp lệ: 3 đến 47 ký tự gồm chữ thường không dấu, số, dấu chấm, gạch "
     "dưới, gạch nối.",
     "Invalid username: 3 to 47 lower-case letters, digits, dots, underscores or hyphens."},
    {"conflict", "username", "*", "user.exists", "Tên đăng nhập này đã có.",
     "This username is taken."},
    {"invalid", "unit", "role {role} needs a unit scope*", "user.unit_needed",
     "Vai trò này cần một đơn vị (phạm vi làm việc).", "This role needs a unit scope."},
    {"invalid", "unit", "unit '{unit}': a citizen account has no unit scope", "user.citizen_unit",
     "Tài khoản công dân không gắn với đơn vị.", "A citizen account has no unit scope."},
    /* digitisation and two-layer signing (digitise.c, docs/digitisation.md) */
    {"conflict", "layer", "layer 1 missing*", "sign.layer1_missing",
     "Chưa có chữ ký lớp 1 của người có thẩm quyền: văn thư chỉ ký lớp 2 sau lớp 1.",
     "Layer 1 (the competent person) is missing: the clerk signs layer 2 only after it."},
    {"conflict", "layer", "the document already has both layers", "sign.both_layers",
     "Văn bản đã có đủ hai lớp chữ ký.", "The document already has both signature layers."},
    {"conflict", "sign_dir", "*", "sign.not_configured",
     "Máy chủ chưa có chứng thư số và khóa ký cho tài khoản này.",
     "This server has no signing certificate and key for this account."},
    {"invalid", "file", "file '{name}': content is '{type}', must be PDF, JPEG, PNG or TIFF",
     "digitise.type", "Tệp {name} có định dạng {type}: chỉ nhận PDF, JPEG, PNG hoặc TIFF.",
     "File {name} is {type}: only PDF, JPEG, PNG or TIFF are accepted."},
    {"conflict", "doc_index", "component {doc} of {code} is already digitised", "digitise.already",
     "Thành phần {doc} của hồ sơ {code} đã được số hóa.",
     "Component {doc} of dossier {code} is already digitised."},
    {"conflict", "dossier", "dossier {code} has no result yet*", "digitise.unsolved",
     "Hồ sơ {code} chưa giải quyết xong: kết quả điện tử được lưu khi hồ sơ đã có kết quả.",
     "Dossier {code} is not solved yet: its electronic result is registered once it is."},
    {"conflict", "result_no", "*belongs to another citizen*", "digitise.other_citizen",
     "Kết quả này thuộc về công dân khác với người nộp hồ sơ.",
     "This result belongs to another citizen than the dossier's applicant."},
    /* dialogues with citizens and their commitments */
    {"invalid", "day", "day {day}: a dialogue is recorded once held", "dialogue.future",
     "Chỉ ghi nhận cuộc đối thoại đã diễn ra: ngày {day:date} chưa đến.",
     "Only a dialogue already held is recorded: {day} has not come yet."},
    {"invalid", "due", "due {due}: before the dialogue's day {day}", "dialogue.due_before",
     "Hạn thực hiện {due:date} trước ngày đối thoại {day:date}.",
     "The due day {due} is before the "
     "dialogue's day {day}."},
    {"conflict", "commitment", "commitment {id} is already closed on {day}", "dialogue.closed",
     "Cam kết này đã kết thúc ngày {day:date}.", "This commitment was already closed on {day}."},
    {"invalid", "day", "day {day}: not after today", "dialogue.close_future",
     "Ngày hoàn thành {day:date} chưa đến.", "The day {day} has not come yet."},
    {"invalid", "day", "a commitment cannot close before its dialogue", "dialogue.close_before",
     "Ngày hoàn thành trước ngày đối thoại.", "The commitment cannot close before its dialogue."},
    /* PAR rounds (the administration's new round) */
    {"conflict", "round", "round '{round}' already exists (year {year})", "par.round_exists",
     "Đã có đợt đánh giá mã {round} (năm {year}); chọn mã khác.",
     "Round {round} already exists (year {year}); choose another code."},
    {"not_found", "set", "criteria set '{set}' is not stored*", "par.set_missing",
     "Chưa có bộ tiêu chí {set} trong hệ thống.", "Criteria set {set} is not stored."},
    {"invalid", "units", "no unit of the kinds asked exists on {day}*", "par.no_units",
     "Không có đơn vị nào thuộc phạm vi đánh giá của bộ tiêu chí trong đơn vị đã chọn (ngày "
     "{day}).",
     "No unit of the set's scope exists in the chosen unit (on {day})."},
    {"invalid", "year", "*", "par.year", "Năm đánh giá phải từ 2000 đến 2100.",
     "The year must be between 2000 and 2100."},
    /* PAR index scores */
    {"invalid", NULL, "*points {points} exceed the node's max {max}", "par.over_max",
     "Điểm {points:num2} vượt quá điểm tối đa của tiêu chí: tối đa {max:num2} điểm.",
     "{points:num2} points exceed the criterion's maximum: at most {max:num2} points."},
    {"invalid", NULL, "*points {points} are negative", "par.negative",
     "Điểm không được âm ({points:num2}).", "Points cannot be negative ({points:num2})."},
    {"invalid", NULL, "*points {points} have more than the {decimals} decimal*", "par.decimals",
     "Điểm {points} có nhiều hơn {decimals} chữ số thập phân bộ tiêu chí cho phép.",
     "{points} points have more than the {decimals} decimals the criteria set allows."},
    {"invalid", "node", "*has sub-criteria*", "par.inner_node",
     "Tiêu chí này gồm các tiêu chí thành phần; hãy chấm điểm từng tiêu chí thành phần.",
     "This criterion has sub-criteria: score each of them."},
    {"invalid", "type", "file '{file}': the extension must be one of {list}", "file.extension",
     "Tệp {file} không được chấp nhận: chỉ nhận các loại tệp {list}.",
     "The file {file} is not accepted: the extension must be one of {list}."},
    {"invalid", "size", "file '{file}' is empty", "file.empty", "Tệp {file} rỗng.",
     "The file {file} is empty."},
    {"invalid", "size",
     "file '{file}' has {bytes} bytes, above the limit of {limit} bytes ({mib} MiB)",
     "file.too_big", "Tệp {file} quá lớn: tối đa {mib} MB.",
     "The file {file} is too large: at most {mib} MiB."},
    {"invalid", "name", "file name*", "file.name", "Tên tệp không hợp lệ.",
     "The file name is not valid."},
    {"invalid", "type", "file '{file}'*", "file.type",
     "Nội dung tệp {file} không khớp với loại tệp.",
     "The content of {file} does not match its type."},
    {"conflict", "phase", "*", "par.phase", "Đợt đánh giá không ở giai đoạn cho phép thao tác này.",
     "The round is not in a phase that allows this."},
    /* the periodic CCHC reports (preport.c, src/core/preport.c) */
    {"conflict", "action", "report #{id} is submitted: *", "preport.submitted",
     "Báo cáo số {id} đã gửi cấp trên: không sửa được nữa; chờ cấp trên tiếp nhận hoặc trả lại.",
     "Report {id} has been submitted: it can no longer change; the parent unit accepts or "
     "returns it."},
    {"conflict", "action", "report #{id} is accepted: *", "preport.accepted",
     "Báo cáo số {id} đã được cấp trên tiếp nhận: không thay đổi được nữa.",
     "Report {id} has been accepted by the parent unit: it can no longer change."},
    {"conflict", "action", "report #{id} is returned: *", "preport.returned",
     "Báo cáo số {id} bị trả lại: hãy mở lại thành dự thảo, sửa rồi gửi lại.",
     "Report {id} was returned: reopen it as a draft, correct it and submit it again."},
    {"conflict", "action", "report #{id} is draft: *", "preport.draft",
     "Báo cáo số {id} đang là dự thảo: đơn vị chưa gửi báo cáo.",
     "Report {id} is a draft: the unit has not submitted it."},
    {"invalid", "note", "note: 'return' needs a reason", "preport.reason",
     "Vui lòng ghi lý do trả lại báo cáo.", "Please give the reason for returning the report."},
    {"conflict", "period", "unit '{unit}' has the report {period} already*", "preport.exists",
     "Đơn vị {unit} đã có báo cáo kỳ {period}.", "Unit {unit} already has the report {period}."},
    {"invalid", "period", "*must be YYYY-CCHC-Q1*", "preport.period",
     "Kỳ báo cáo không hợp lệ: chọn quý I, 6 tháng, quý III hoặc năm.",
     "Not a reporting period: choose quarter I, 6 months, quarter III or the year."},
    {"invalid", "section", "edit: give at least one section*", "preport.no_section",
     "Hãy nhập ít nhất một phần nội dung của báo cáo.",
     "Write at least one section of the report."},
    {"invalid", NULL, "{key}: control character*", "preport.control",
     "Nội dung có ký tự điều khiển không hợp lệ.", "The text holds a control character."},
    {"not_found", "report", "*", "preport.not_found",
     "Không có báo cáo này trong phạm vi đơn vị của bạn.",
     "There is no such report within your unit's scope."},
    /* reform management: CCHC plans and tasks (reform.c, src/core/reform.c) */
    {"conflict", "action", "task #{id} is {status}: '{action}' is not allowed", "task.transition",
     "Không thể {action:action} khi nhiệm vụ đang ở trạng thái “{status:status}”.",
     "Not possible to {action:action} while the task is “{status:status}”."},
    {"conflict", "parent", "parent task #{id} is {status}: it takes no new child tasks",
     "task.parent_closed", "Nhiệm vụ {id} đã “{status:status}”: không giao thêm nhiệm vụ con.",
     "Task {id} is “{status:status}”: it takes no new child tasks."},
    {"invalid", "note", "note: '{action}' needs a reason", "task.reason",
     "Vui lòng ghi lý do để {action:action} nhiệm vụ.",
     "Please give the reason to {action:action} the task."},
    {"invalid", "progress", "*its progress is rolled up from theirs", "task.rollup",
     "Nhiệm vụ này có nhiệm vụ con: tiến độ được tổng hợp tự động từ các nhiệm vụ con.",
     "This task has child tasks: its progress is rolled up from theirs."},
    {"invalid", "progress", "progress: {n} is outside 0..99*", "task.progress",
     "Tiến độ phải từ 0 đến 99%; khi đã có sản phẩm, chọn “Hoàn thành”.",
     "Progress must be 0 to 99 %; when the product is delivered, choose “Complete”."},
    {"invalid", "area", "area '{area}': not a reform area of criteria set '{set}' ({list})",
     "task.area", "Lĩnh vực {area} không thuộc bộ tiêu chí {set}; chọn một trong: {list}.",
     "Area {area} is not a reform area of criteria set {set}; choose one of: {list}."},
    {"invalid", "area", "area '{area}': a child task keeps its parent's area '{parent}'",
     "task.child_area", "Nhiệm vụ con giữ lĩnh vực {parent} của nhiệm vụ cha.",
     "A child task keeps its parent's area {parent}."},
    {"invalid", "owner", "owner '{owner}': not unit '{root}' or a unit below it on {day}",
     "task.owner",
     "Đơn vị chủ trì {owner} không phải {root} hoặc đơn vị trực thuộc {root} (ngày {day}).",
     "The owner {owner} is not {root} or a unit below it (on {day})."},
    {"invalid", NULL, "*a child task's dates must lie inside its parent's", "task.child_dates",
     "Thời gian thực hiện nhiệm vụ con phải nằm trong thời gian của nhiệm vụ cha.",
     "A child task's dates must lie inside its parent's."},
    {"invalid", "due", "due: the due date is before the start date", "task.dates",
     "Hạn hoàn thành sớm hơn ngày bắt đầu.", "The due date is before the start date."},
    {"invalid", "due", "due: a task of the {year} plan must start or end in {year2}",
     "task.plan_year",
     "Nhiệm vụ của kế hoạch năm {year} phải bắt đầu hoặc kết thúc trong năm {year}.",
     "A task of the {year} plan must start or end in {year}."},
    {"conflict", "year", "unit '{unit}' has a CCHC plan for {year} already*", "plan.exists",
     "Đơn vị {unit} đã có kế hoạch CCHC năm {year}.",
     "Unit {unit} already has a CCHC plan for {year}."},
    {"not_found", "set", "no PAR criteria set of scope*", "plan.no_set",
     "Chưa có bộ tiêu chí Chỉ số CCHC áp dụng cho đơn vị này; hãy nhập bộ tiêu chí trước.",
     "No PAR criteria set applies to this unit yet; import one first."},
    /* the action tracker (action.c): a task from a weak figure */
    {"invalid", "kind", "kind '{kind}': expected par, indicator or late", "action.kind",
     "Loại chỉ tiêu “{kind}” không hợp lệ: chọn tiêu chí Chỉ số CCHC, nhóm chỉ số phục vụ hoặc hồ "
     "sơ trễ hạn.",
     "The kind of figure “{kind}” is not known: choose a PAR criterion, a service index group or "
     "late dossiers."},
    {"invalid", "round", "round: a PAR criterion's task names its round*", "action.round",
     "Nhiệm vụ khắc phục một tiêu chí Chỉ số CCHC phải nêu kỳ đánh giá.",
     "A task for a PAR criterion names its assessment round."},
    {"invalid", "round", "round: only a PAR criterion has a round", "action.round_only_par",
     "Chỉ tiêu chí Chỉ số CCHC mới gắn với kỳ đánh giá.",
     "Only a PAR criterion belongs to an assessment round."},
    {"invalid", "ref", "ref '{ref}': a criterion code such as 1.1.2 is expected",
     "action.criterion", "Mã tiêu chí “{ref}” không hợp lệ (ví dụ: 1.1.2).",
     "The criterion code “{ref}” is not valid (e.g. 1.1.2)."},
    {"invalid", "ref", "ref '{ref}': an indicator group such as group_2 is expected",
     "action.group", "Nhóm chỉ số “{ref}” không hợp lệ.",
     "The indicator group “{ref}” is not valid."},
    {"invalid", "ref", "ref: late dossiers take no reference", "action.late_ref",
     "Hồ sơ trễ hạn không cần mã tham chiếu.", "Late dossiers take no reference."},
    {"not_found", "ref", "criterion '{ref}' is not in round '{round}'", "action.not_in_round",
     "Tiêu chí {ref} không có trong bộ tiêu chí của kỳ đánh giá {round}.",
     "Criterion {ref} is not in the criteria set of round {round}."},
    {"invalid", "area", "area: the plan's criteria set '{set}' has no area for this figure*",
     "action.area",
     "Kế hoạch CCHC (bộ tiêu chí {set}) không có lĩnh vực tương ứng; hãy chọn lĩnh vực.",
     "The CCHC plan (criteria set {set}) has no matching area; choose one."},
    {"not_found", "task", "task #{id} does not exist", "task.not_found",
     "Không có nhiệm vụ số {id} trong phạm vi đơn vị của bạn.",
     "There is no task {id} within your unit's scope."},
    {"not_found", "plan", "unit '{unit}' has no CCHC plan for {year}", "plan.missing",
     "Đơn vị {unit} chưa có kế hoạch CCHC năm {year}: lập kế hoạch trước khi giao nhiệm vụ khắc "
     "phục.",
     "Unit {unit} has no CCHC plan for {year}: create it before assigning remedies."},
    {"not_found", "plan", "*", "plan.not_found",
     "Không có kế hoạch CCHC này trong phạm vi đơn vị của bạn.",
     "There is no such CCHC plan within your unit's scope."},
    /* reminders (remind.c, src/store/remind_store.c) */
    {"not_found", "id", "reminder #{id} does not exist", "remind.not_found",
     "Không có nhắc việc số {id} của bạn.", "You have no reminder {id}."},
    {"not_found", "username", "account '{user}' does not exist", "remind.account",
     "Không có tài khoản {user} trong phạm vi đơn vị của bạn.",
     "There is no account {user} within your unit's scope."},
    {"invalid", "email", "email '{v}' is not an e-mail address", "remind.email",
     "Địa chỉ thư điện tử không hợp lệ: {v} không phải là địa chỉ thư điện tử.",
     "Not an e-mail address: {v}."},
    {"invalid", "phone", "phone '{v}' is not a mobile phone number", "remind.phone",
     "{v} không phải là số điện thoại di động.", "{v} is not a mobile phone number."},
    /* CCHC inspections (inspection.c, src/core/inspection.c) */
    {"conflict", "action", "inspection #{id} is {status}: 'start' is not allowed",
     "insp.transition.start",
     "Cuộc kiểm tra đang ở trạng thái “{status:status}”: chỉ bắt đầu được cuộc kiểm tra chưa "
     "triển khai.",
     "The inspection is “{status:status}”: only a planned inspection can start."},
    {"conflict", "action", "inspection #{id} is {status}: 'conclude' is not allowed",
     "insp.transition.conclude",
     "Cuộc kiểm tra đang ở trạng thái “{status:status}”: chỉ kết luận được cuộc kiểm tra đang "
     "tiến hành.",
     "The inspection is “{status:status}”: only an inspection in progress can be concluded."},
    {"conflict", "action", "inspection #{id} is {status}: 'close' is not allowed",
     "insp.transition.close",
     "Cuộc kiểm tra đang ở trạng thái “{status:status}”: chỉ đóng được cuộc kiểm tra đã kết luận.",
     "The inspection is “{status:status}”: only a concluded inspection can be closed."},
    {"conflict", "action", "inspection #{id} is {status}: 'reopen' is not allowed",
     "insp.transition.reopen",
     "Cuộc kiểm tra đang ở trạng thái “{status:status}”: chỉ mở lại được cuộc kiểm tra đã đóng.",
     "The inspection is “{status:status}”: only a closed inspection can be reopened."},
    {"conflict", "action", "inspection #{id} is {status}: 'cancel' is not allowed",
     "insp.transition.cancel",
     "Cuộc kiểm tra đang ở trạng thái “{status:status}”: chỉ hủy được cuộc kiểm tra chưa kết "
     "luận.",
     "The inspection is “{status:status}”: only an inspection not yet concluded can be "
     "cancelled."},
    {"conflict", "findings", "inspection #{id} has no findings*", "insp.no_findings",
     "Chưa ghi nhận ưu điểm, tồn tại nào: ghi nhận kết quả kiểm tra trước khi kết luận.",
     "No strength or shortcoming is recorded: record the findings before the conclusion."},
    {"conflict", "remedies", "inspection #{id} has {n} open remedies*", "insp.open_remedies",
     "Còn {n} nhiệm vụ khắc phục chưa xong: cuộc kiểm tra tự đóng khi các nhiệm vụ khắc phục "
     "hoàn thành.",
     "{n} remedies are still open: the inspection closes by itself when they are done."},
    {"invalid", "note", "note: the inspection's 'cancel' needs a reason", "insp.reason.cancel",
     "Vui lòng ghi lý do hủy cuộc kiểm tra.", "Please give the reason to cancel the inspection."},
    {"invalid", "note", "note: the inspection's '*' needs a reason", "insp.reason",
     "Vui lòng ghi lý do mở lại cuộc kiểm tra.",
     "Please give the reason to reopen the inspection."},
    {"conflict", "inspection", "inspection #{id} is {status}", "insp.state",
     "Cuộc kiểm tra đang ở trạng thái “{status:status}”: chỉ ghi kết quả kiểm tra khi đang kiểm "
     "tra, và giao nhiệm vụ khắc phục khi đang kiểm tra hoặc đã kết luận.",
     "The inspection is “{status:status}”: results are recorded while it is in progress, and "
     "remedies assigned while it is in progress or concluded."},
    {"invalid", "unit", "unit '{unit}': not a unit below inspector '{insp}'", "insp.unit_below",
     "Đơn vị {unit} không trực thuộc đơn vị kiểm tra {insp}.",
     "Unit {unit} is not below the inspecting unit {insp}."},
    {"invalid", "planned_from", "planned_from: the planned dates must lie in {year}",
     "insp.year_dates", "Thời gian kiểm tra phải nằm trong năm {year}.",
     "The inspection's dates must lie in {year}."},
    {"invalid", "planned_to", "planned_to: before planned_from", "insp.dates",
     "Ngày kết thúc kiểm tra sớm hơn ngày bắt đầu.", "The inspection ends before it starts."},
    {"invalid", "finding", "finding #{id} is a strength*", "insp.remedy_strength",
     "Đây là ưu điểm: nhiệm vụ khắc phục chỉ giao cho tồn tại, hạn chế.",
     "This is a strength: remedies follow shortcomings."},
    {"invalid", "kind", "*a finding is a strength or a shortcoming", "insp.kind",
     "Kết quả kiểm tra là ưu điểm hoặc tồn tại, hạn chế.",
     "A finding is a strength or a shortcoming."},
    {"invalid", "result", "result '*': must be met, not_met or empty", "insp.result",
     "Kết quả của nội dung kiểm tra là “Đạt” hoặc “Chưa đạt”.",
     "A checklist item is met or not met."},
    {"not_found", "seq", "inspection #{id} has no checklist item {n}", "insp.item",
     "Cuộc kiểm tra không có nội dung kiểm tra số {n}.",
     "The inspection has no checklist item {n}."},
    {"not_found", "inspection", "inspection #{id} does not exist", "insp.not_found",
     "Không có cuộc kiểm tra số {id} trong phạm vi đơn vị của bạn.",
     "There is no inspection {id} within your unit's scope."},
    {"not_found", "finding", "*has no evidence file", "insp.no_file",
     "Kết quả kiểm tra này không có tệp minh chứng.", "This finding has no evidence file."},
    {"not_found", "finding", "*", "insp.finding_not_found",
     "Không có kết quả kiểm tra này trong cuộc kiểm tra.",
     "There is no such finding in this inspection."},
    {"not_found", "inspector", "*", "insp.inspector_scope",
     "Đơn vị kiểm tra không thuộc phạm vi đơn vị của bạn.",
     "The inspecting unit is not within your unit's scope."},
    /* surveys: paper forms, the result slip, survey points into the PAR index (surveys2.c) */
    {"conflict", "pass", "form {form}: the other entry was typed by *", "survey.paper_same_officer",
     "Phiếu {form}: lần nhập này phải do một cán bộ khác với người đã nhập lần kia.",
     "Form {form}: this entry must be typed by another officer than the other entry."},
    {"conflict", "pass", "form {form}: pass {p} was entered already", "survey.paper_pass_twice",
     "Phiếu {form}: lần nhập {p} đã có.", "Form {form}: entry {p} exists already."},
    {"invalid", NULL, "form {form}: {q}: the entries differ ({a}, {b})*", "survey.resolve_missing",
     "Phiếu {form}: hai lần nhập khác nhau ở mục {q} ({a} và {b}); chọn giá trị ghi trên phiếu "
     "giấy (- nếu không trả lời).",
     "Form {form}: the entries differ on {q} ({a} and {b}); choose what the paper shows (- for "
     "no answer)."},
    {"invalid", NULL, "form {form}: {q}: the entries differ*", "survey.resolve_missing_field",
     "Phiếu {form}: hai lần nhập khác nhau ở mục {q}; chọn giá trị ghi trên phiếu giấy.",
     "Form {form}: the entries differ on {q}; choose what the paper shows."},
    {"invalid", NULL, "form {form}: '{q}' is not a field the two entries differ on",
     "survey.resolve_not_differing",
     "Phiếu {form}: hai lần nhập không lệch nhau ở mục {q}, không cần đối chiếu.",
     "Form {form}: the entries agree on {q}; there is nothing to resolve."},
    {"conflict", "form", "form {form} was resolved already", "survey.resolved_twice",
     "Phiếu {form} đã được đối chiếu.", "Form {form} was resolved already."},
    {"conflict", "form", "form {form}: waiting for its second entry", "survey.resolve_waiting",
     "Phiếu {form} chưa có lần nhập thứ hai.", "Form {form} has no second entry yet."},
    {"conflict", "form", "form {form}: the two entries agree*", "survey.resolve_agree",
     "Hai lần nhập phiếu {form} khớp nhau; phiếu đã được tính.",
     "The two entries of form {form} agree; the form is counted."},
    /* surveys: DDCI's businesses of a round (surveys3.c) */
    {"conflict", "unit", "'{u}' has a sample in round '{r}' already", "survey.unit_sampled",
     "Đơn vị {u} đã có mẫu trong đợt {r}.", "Unit {u} has a sample in round {r} already."},
    {"conflict", "round", "round '{r}' surveys citizens*", "survey.not_business",
     "Đợt {r} khảo sát người dân: chỉ đợt khảo sát doanh nghiệp (DDCI) mới chọn doanh nghiệp.",
     "Round {r} surveys citizens: businesses belong to a business (DDCI) survey."},
    {"invalid", "unit", "'{u}' returned no business-registration dossier from {a} to {b}",
     "survey.no_business_dossiers",
     "Đơn vị {u} không trả hồ sơ đăng ký kinh doanh nào từ {a:date} đến {b:date}.",
     "Unit {u} returned no business-registration dossier from {a} to {b}."},
    {"invalid", "csv", "*", "survey.business_list",
     "Danh sách doanh nghiệp có lỗi, không doanh nghiệp nào được thêm; xem từng dòng.",
     "The business list has problems; nothing was added; see each line."},
    {"invalid", "source", "*", "survey.business_source",
     "Chọn nguồn: hồ sơ đăng ký kinh doanh, hoặc danh sách nhập (kèm tệp CSV).",
     "Choose the source: business-registration dossiers, or an imported list (with its CSV)."},
    {"not_found", "form", "form {form} was not entered in round {r}", "survey.form_unknown",
     "Phiếu {form} chưa được nhập trong đợt {r}.", "Form {form} was not entered in round {r}."},
    {"not_found", "form", "form '{form}' belongs to another unit", "survey.form_other_unit",
     "Số phiếu {form} thuộc đơn vị khác.", "Form number {form} belongs to another unit."},
    {"conflict", "status", "dossier {code} has no result to hand over*", "survey.slip_no_result",
     "Hồ sơ {code} chưa có kết quả để trả.", "Dossier {code} has no result to hand over yet."},
    {"invalid", NULL, "'{n}': not a survey criterion of PAR set {s}", "survey.par_not_survey",
     "{n} không phải tiêu chí điều tra xã hội học của bộ tiêu chí {s}.",
     "{n} is not a survey criterion of PAR set {s}."},
    {"invalid", NULL, "'{n}': not a component or criterion of survey set {s}*",
     "survey.par_bad_node",
     "{n} không phải thành phần hay tiêu chí của bộ phiếu {s} (hoặc index: chỉ số chung).",
     "{n} is not a component or criterion of survey set {s} (or index)."},
    {"invalid", "round", "no unit of survey round {r} has answers", "survey.par_no_answers",
     "Chưa đơn vị nào của đợt khảo sát {r} có phiếu trả lời.",
     "No unit of survey round {r} has answers yet."},
    {"invalid", "mapping", "at least one *", "survey.par_no_pair",
     "Cần ít nhất một cặp: mã tiêu chí của Chỉ số CCHC và thành phần khảo sát.",
     "Give at least one pair: a PAR criterion code and a survey component."},
    /* CCHC initiatives (initiative.c, src/core/initiative.c) */
    {"conflict", "action", "initiative #{id} is {status}: '{action}' is not allowed",
     "initiative.transition",
     "Trạng thái hiện tại của sáng kiến số {id} không cho phép thao tác này.",
     "The current state of initiative {id} does not allow this."},
    {"invalid", "note", "note: the initiative's '{action}' needs a reason", "initiative.reason",
     "Vui lòng ghi lý do.", "Please give the reason."},
    {"invalid", "score", "score: the council's score is 0 to {max}*", "initiative.score",
     "Điểm đánh giá của hội đồng từ 0 đến {max}.", "The council's score is 0 to {max}."},
    {"invalid", "day", "day: the council's day is before the proposal", "initiative.day",
     "Ngày hội đồng đánh giá không được trước ngày đề xuất.",
     "The council's day cannot be before the proposal."},
    {"invalid", "decision_no", "*", "initiative.decision_no",
     "Vui lòng nhập số quyết định công nhận sáng kiến.",
     "Please give the recognition decision's number."},
    {"invalid", "level", "*", "initiative.level",
     "Cấp công nhận là cấp cơ sở, cấp huyện hoặc cấp tỉnh.",
     "The level is the unit, the district or the province."},
    {"invalid", "decision_day", "decision_day: before the initiative's proposal or evaluation",
     "initiative.decision_day",
     "Ngày quyết định công nhận không được trước ngày đề xuất hoặc ngày đánh giá.",
     "The decision cannot precede the proposal or the evaluation."},
    {"invalid", "evaluator", "evaluator '{root}': not '{unit}' or a unit above it",
     "initiative.evaluator",
     "Đơn vị đánh giá {root} phải là {unit} hoặc đơn vị cấp trên của {unit}.",
     "The evaluating unit {root} must be {unit} or a unit above it."},
    {"invalid", "area", "area '{area}': not a reform area of set '{set}'", "initiative.area",
     "Lĩnh vực {area} không thuộc bộ tiêu chí {set}.",
     "Area {area} is not a reform area of criteria set {set}."},
    {"invalid", "result", "result '{result}': the council's result is accepted or rejected",
     "initiative.result", "Kết quả đánh giá là “đề nghị công nhận” hoặc “không công nhận”.",
     "The council's result is accepted or rejected."},
    {"conflict", "unit", "unit '{unit}' applies initiative #{id} already", "initiative.applied",
     "Đơn vị {unit} đã đăng ký áp dụng sáng kiến này.",
     "Unit {unit} applies this initiative already."},
    {"not_found", "initiative", "*", "initiative.not_found",
     "Không có sáng kiến này trong phạm vi đơn vị của bạn.",
     "There is no such initiative within your unit's scope."},
    /* units created, edited and merged by the administrator (units_admin.c, src/core/unit.c,
     * src/store/unit_admin.c) */
    {"invalid", NULL, "empty: a unit code is required", "unit.code_required",
     "Vui lòng nhập mã đơn vị.", "Please give the unit's code."},
    {"invalid", NULL, "'{v}': a unit code has at most {max} characters", "unit.code_long",
     "Mã đơn vị “{v}” dài quá {max} ký tự.",
     "The unit code “{v}” is longer than {max} characters."},
    {"invalid", NULL, "'{v}': a unit code uses only letters*", "unit.code_chars",
     "Mã đơn vị “{v}” chỉ gồm chữ cái không dấu A–Z, chữ số và các dấu chấm, gạch dưới, gạch nối.",
     "The unit code “{v}” may hold only letters A-Z, digits, '.', '_' and '-'."},
    {"invalid", NULL, "empty: a unit needs a name", "unit.name_required",
     "Vui lòng nhập tên đơn vị.", "Please give the unit's name."},
    {"invalid", NULL, "holds a control character", "unit.name_control",
     "Tên có ký tự điều khiển không hợp lệ.", "The name holds a control character."},
    {"invalid", NULL, "'': not a unit kind*", "unit.kind_required", "Vui lòng chọn loại đơn vị.",
     "Please choose the kind of unit."},
    {"invalid", NULL, "'{v}': not a unit kind*", "unit.kind", "Loại đơn vị “{v}” không hợp lệ.",
     "“{v}” is not a kind of unit."},
    {"invalid", NULL, "'{v}': a unit cannot be its own parent", "unit.own_parent",
     "Đơn vị không thể là đơn vị cấp trên của chính nó.", "A unit cannot be its own parent."},
    {"invalid", NULL, "'{v}': an identifier code has the form*", "unit.ident",
     "Mã định danh “{v}” không đúng dạng V1V2V3.Z1Z2.Y1Y2.MX1X2, ví dụ 000.00.12.H40 (Thông tư "
     "10/2016/TT-BTTTT).",
     "The identifier code “{v}” does not have the form V1V2V3.Z1Z2.Y1Y2.MX1X2, e.g. 000.00.12.H40 "
     "(Circular 10/2016/TT-BTTTT)."},
    {"conflict", "parent", "'{v}': unit '{u}' is already above it*", "unit.parent_cycle",
     "Không thể đặt {v} làm đơn vị cấp trên: {u} đang ở trên {v} (sẽ tạo vòng lặp).",
     "{v} cannot be the parent: {u} is already above {v} (a cycle)."},
    {"conflict", "successor", "'{v}': its successor chain leads back to '{u}'*",
     "unit.successor_cycle",
     "Không thể chọn {v} làm đơn vị kế thừa: chuỗi kế thừa của {v} quay lại {u}.",
     "{v} cannot be the successor: its chain of successors leads back to {u}."},
    {"conflict", "code", "unit '{u}' exists already", "unit.code_taken",
     "Mã đơn vị {u} đã có; vui lòng chọn mã khác.", "Unit code {u} is taken; choose another."},
    {"not_found", NULL, "parent '{v}': not a unit within your scope", "unit.parent_scope",
     "Đơn vị cấp trên {v} không thuộc phạm vi quản trị của bạn.",
     "The parent {v} is not within your scope."},
    {"not_found", NULL, "successor '{v}': not a unit within your scope", "unit.successor_scope",
     "Đơn vị kế thừa {v} không thuộc phạm vi quản trị của bạn.",
     "The successor {v} is not within your scope."},
    {"not_found", NULL, "unit '{v}': not a unit within your scope", "unit.scope",
     "Đơn vị {v} không thuộc phạm vi quản trị của bạn.", "Unit {v} is not within your scope."},
    {"invalid", NULL, "parent: a unit within your scope is required", "unit.parent_required",
     "Vui lòng chọn đơn vị cấp trên trong phạm vi quản trị của bạn.",
     "Please choose a parent unit within your scope."},
    {"not_found", NULL, "parent '{v}': no such unit", "unit.parent_missing",
     "Không có đơn vị cấp trên {v}.", "There is no parent unit {v}."},
    {"conflict", NULL, "parent '{v}': does not exist on {d}", "unit.parent_period",
     "Đơn vị cấp trên {v} không hoạt động vào ngày {d:date}.",
     "The parent {v} does not exist on {d}."},
    {"conflict", NULL, "'{v}': already the identifier code of unit '{u}' in an overlapping*",
     "unit.ident_taken",
     "Mã định danh {v} đang là của đơn vị {u} trong cùng thời gian; hai đơn vị dùng chung mã sẽ "
     "cấp trùng số hồ sơ.",
     "The identifier code {v} belongs to unit {u} in the same period; two units sharing it would "
     "issue the same dossier codes."},
    {"not_found", "units", "unit '{u}' does not exist", "unit.not_found", "Không có đơn vị {u}.",
     "Unit {u} does not exist."},
    {"conflict", "units", "unit '{u}' ends on {d} already", "unit.merge_ended",
     "Đơn vị {u} đã có ngày kết thúc hoạt động ({d:date}); không ghi sáp nhập lần nữa.",
     "Unit {u} already ends on {d}; it cannot be merged again."},
    {"conflict", "units", "unit '{u}' starts on {d}: a merger*", "unit.merge_start",
     "Đơn vị {u} bắt đầu hoạt động từ {d:date}: ngày sáp nhập phải sau ngày đó.",
     "Unit {u} starts on {d}: the merger must take effect after that day."},
    {"conflict", "units", "unit '{p}' has unit '{c}' below it on {d} or later: *",
     "unit.merge_child",
     "Đơn vị {c} trực thuộc {p} vẫn hoạt động từ ngày {d:date}: chọn cả {c} vào danh sách "
     "sáp nhập, hoặc chuyển {c} sang đơn vị khác trước.",
     "Unit {c} below {p} exists on {d} or later: include {c} in the merger, or move it under "
     "another "
     "unit first."},
    {"invalid", "units", "unit '{u}' given twice", "unit.merge_twice",
     "Đơn vị {u} được chọn hai lần.", "Unit {u} is given twice."},
    {"invalid", "units", "{n} units: a merger ends 1 to {max} units", "unit.merge_count",
     "Vui lòng chọn từ 1 đến {max} đơn vị chấm dứt hoạt động.",
     "Please choose 1 to {max} units that end."},
    {"invalid", "units", "units[{i}]: a unit code is required", "unit.merge_item",
     "Danh sách đơn vị sáp nhập có mục trống.", "The list of merged units has an empty entry."},
    {"invalid", "successor", "'{s}': the successor is among the units that end",
     "unit.successor_ends", "Đơn vị kế thừa {s} không thể đồng thời là đơn vị chấm dứt hoạt động.",
     "The successor {s} cannot also be one of the units that end."},
    {"not_found", "successor", "successor '{s}': no such unit", "unit.successor_missing",
     "Không có đơn vị kế thừa {s}.", "There is no successor unit {s}."},
    {"conflict", "successor", "successor '{s}': does not exist on {d}", "unit.successor_period",
     "Đơn vị kế thừa {s} không hoạt động vào ngày {d:date}.",
     "The successor {s} does not exist on {d}."},
    {"invalid", "successor", "give the successor: *", "unit.successor_one",
     "Vui lòng chọn đơn vị kế thừa: một đơn vị đang có hoặc một đơn vị mới (không chọn cả hai).",
     "Please choose the successor: an existing unit or a new one, not both."},
    {"invalid", NULL, "*: at most {max} bytes", "text.too_long", "Quá dài: tối đa {max} byte.",
     "Too long: at most {max} bytes."},
    {"invalid", "successor_new", "successor_new.{k}: not a field*", "unit.successor_field",
     "Thông tin đơn vị mới có mục {k} không được chấp nhận.",
     "The new unit's field {k} is not accepted."},
    /* the calendar decisions (calendar_http.c, src/core/caldecision.c) */
    {"invalid", "citation", "citation: the decision's number*", "calendar.citation",
     "Vui lòng nhập số, ký hiệu văn bản (ví dụ Thông báo 6150/TB-BLĐTBXH), tối đa 199 byte.",
     "Please give the decision's number and kind (e.g. Thông báo 6150/TB-BLĐTBXH), at most "
     "199 bytes."},
    {"invalid", "issuer", "issuer: who signed*", "calendar.issuer",
     "Vui lòng nhập cơ quan ban hành văn bản, tối đa 199 byte.",
     "Please give who issued the decision, at most 199 bytes."},
    {"conflict", "citation", "citation '{c}': already recorded", "calendar.citation_taken",
     "Văn bản {c} đã được ghi nhận.", "Decision {c} is already recorded."},
    {"invalid", "effective", "effective '{v}': before the day the decision was signed ({s})",
     "calendar.effective_before", "Ngày có hiệu lực {v:date} trước ngày ký {s:date}.",
     "The day in effect, {v}, is before the day signed, {s}."},
    {"invalid", "changes", "{n} changes: a decision lists 1 to {max} day changes",
     "calendar.changes_count", "Một văn bản ghi từ 1 đến {max} ngày thay đổi.",
     "A decision lists 1 to {max} day changes."},
    {"invalid", NULL, "*: the day's name must be given*", "calendar.change_name",
     "Vui lòng nhập tên ngày nghỉ (ví dụ Nghỉ hoán đổi dịp Quốc khánh).",
     "Please name the day off (e.g. a swapped day off for National Day)."},
    {"invalid", NULL, "* '{v}': not a date YYYY-MM-DD", "calendar.date",
     "Ngày “{v}” không hợp lệ: ghi theo dạng năm-tháng-ngày (YYYY-MM-DD) và là ngày có thật.",
     "“{v}” is not a valid date: write it as YYYY-MM-DD, a day that exists."},
    {"invalid", NULL, "*: a date YYYY-MM-DD is required", "calendar.date_required",
     "Vui lòng nhập {field} (dạng YYYY-MM-DD).", "Please give {field} (YYYY-MM-DD)."},
    {"invalid", NULL, "* '{v}': outside the calendar's years ({a} to {b})", "calendar.range",
     "Ngày {v:date} nằm ngoài các năm của lịch ({a:date} đến {b:date}).",
     "{v} is outside the calendar's years ({a} to {b})."},
    {"invalid", NULL, "* '{v}': a day already past (today is {t})*", "calendar.past",
     "Ngày {v:date} đã qua (hôm nay là {t:date}): chỉ thay đổi được ngày từ hôm nay trở đi, "
     "ngày đã qua giữ nguyên lịch đã áp dụng.",
     "{v} has passed (today is {t}): only days from today on can change; days already lived "
     "keep their calendar."},
    {"invalid", NULL, "* '{v}': not a working day (a Saturday or Sunday*", "calendar.off_weekend",
     "Ngày {v:date} là thứ Bảy hoặc Chủ nhật: ngày được nghỉ phải là một ngày làm việc.",
     "{v} is a Saturday or Sunday: the day off must be a working day."},
    {"invalid", NULL, "* '{v}': not a working day (already a public holiday)*",
     "calendar.off_holiday",
     "Ngày {v:date} đã là ngày nghỉ lễ: ngày được nghỉ phải là một ngày làm việc.",
     "{v} is already a public holiday: the day off must be a working day."},
    {"invalid", NULL, "* '{v}': not a working day (already a compensatory*",
     "calendar.off_compensatory",
     "Ngày {v:date} đã là ngày nghỉ bù: ngày được nghỉ phải là một ngày làm việc.",
     "{v} is already a compensatory day off: the day off must be a working day."},
    {"invalid", NULL, "* '{v}': not a working day (already a swapped*", "calendar.off_swap",
     "Ngày {v:date} đã là ngày nghỉ hoán đổi: ngày được nghỉ phải là một ngày làm việc.",
     "{v} is already a swapped day off: the day off must be a working day."},
    {"invalid", NULL, "* '{v}': not a working day (a weekend day already worked*",
     "calendar.off_workday",
     "Ngày {v:date} là ngày làm bù (thứ Bảy, Chủ nhật): ngày được nghỉ phải là ngày làm việc "
     "từ thứ Hai đến thứ Sáu.",
     "{v} is a weekend day already worked: the day off must be a Monday-to-Friday working day."},
    {"invalid", NULL, "* '{v}': a weekday; the day worked instead must be a Saturday or Sunday",
     "calendar.work_weekday",
     "Ngày {v:date} là ngày trong tuần: ngày làm bù phải là thứ Bảy hoặc Chủ nhật.",
     "{v} is a weekday: the day worked instead must be a Saturday or Sunday."},
    {"invalid", NULL, "* '{v}': not a weekly rest day*", "calendar.work_not_rest",
     "Ngày {v:date} không phải ngày nghỉ hằng tuần (đã là ngày lễ, ngày nghỉ bù hoặc ngày làm "
     "bù): ngày làm bù phải là thứ Bảy hoặc Chủ nhật được nghỉ.",
     "{v} is not a weekly rest day (already a holiday or worked): the day worked instead must "
     "be a Saturday or Sunday off."},
    {"invalid", "changes", "day '{v}': given twice*", "calendar.day_twice",
     "Ngày {v:date} được ghi hai lần: mỗi ngày chỉ thay đổi một lần.",
     "{v} is given twice: a day changes once."},
    {"conflict", "changes", "day '{v}': already changed by {c}", "calendar.day_taken",
     "Ngày {v:date} đã được thay đổi theo {c}.", "{v} is already changed by {c}."},
    {"invalid", NULL, "kind '{v}': must be holiday or swap", "calendar.kind",
     "Loại thay đổi “{v}” không hợp lệ: chọn nghỉ lễ (holiday) hoặc hoán đổi (swap).",
     "“{v}” is not a kind of change: holiday or swap."},
    {"invalid", "changes", "*: expected an object", "calendar.change_object",
     "Mỗi ngày thay đổi phải có loại, ngày và tên.",
     "Each day change needs a kind, a day and a name."},
    {"conflict", "effective", "decision {c}: in effect since {d} (today is {t})*",
     "calendar.delete_in_effect",
     "Văn bản {c} đã có hiệu lực từ ngày {d:date}: chỉ xóa được văn bản chưa có hiệu lực.",
     "Decision {c} is in effect since {d}: only a decision not yet in effect can be deleted."},
    {"conflict", "effective", "decision {c}: its day {d} is past*", "calendar.delete_past",
     "Văn bản {c} có ngày {d:date} đã qua: chỉ xóa được văn bản chưa áp dụng.",
     "Decision {c} has a day, {d}, already past: only a decision not yet applied can be "
     "deleted."},
    {"not_found", "decision", "calendar decision {id} does not exist", "calendar.not_found",
     "Không có văn bản này.", "There is no such decision."},
    {"invalid", "id", "id '{v}': a decision number is expected", "calendar.id",
     "Mã văn bản “{v}” không hợp lệ.", "“{v}” is not a decision number."},
    {"invalid", "year", "year '{y}': the calendar covers {a} to {b}", "calendar.year",
     "Năm {y} nằm ngoài lịch (từ năm {a} đến năm {b}).",
     "Year {y} is outside the calendar ({a} to {b})."},
    /* the procedures catalogue changed by an administrator (procadmin.c) */
    {"conflict", "effective_from", "{from} is in the past: new steps take effect from today*",
     "procedure.steps_past",
     "Ngày áp dụng {from:date} đã qua: quy trình mới áp dụng sớm nhất từ hôm nay.",
     "{from} has passed: new steps take effect from today at the earliest."},
    {"conflict", "effective_from",
     "{from}: a dossier of {code} was received on {last} with the steps in force then; new "
     "steps take effect from {earliest} at the earliest*",
     "procedure.steps_received",
     "Ngày {last:date} đã tiếp nhận hồ sơ của thủ tục {code}: quy trình mới áp dụng sớm nhất "
     "từ ngày {earliest:date}, để hồ sơ đã nhận không bị thay đổi.",
     "A dossier of {code} was received on {last} with the steps in force then; so that no "
     "received dossier changes, new steps take effect from {earliest} at the earliest."},
    {"invalid", "steps", "step shares add up to {sum}%, not 100%", "procedure.shares_sum",
     "Tổng tỷ lệ thời gian của các bước là {sum}%, phải đúng 100%.",
     "The steps' shares add up to {sum}%, not 100%."},
    {"invalid", "steps", "step hours add up to {sum}h, more than the legal time ({max}h at most)",
     "procedure.hours_sum",
     "Tổng số giờ của các bước là {sum} giờ, vượt thời hạn giải quyết (tối đa {max} giờ).",
     "The steps' hours add up to {sum}, more than the legal time ({max} hours at most)."},
    {"invalid", "steps", "step {n} '{name}': all steps share the time in the same unit*",
     "procedure.shares_mixed",
     "Bước {n} ({name}): các bước phải cùng tính theo tỷ lệ % hoặc cùng tính theo giờ.",
     "Step {n} ({name}): all steps share the time in % or all in hours."},
    {"invalid", "steps", "steps in hours need a time in wd or wh*", "procedure.hours_cd",
     "Chỉ tính bước theo giờ khi thời hạn giải quyết tính bằng ngày hoặc giờ làm việc.",
     "Steps in hours need a legal time in working days or hours."},
    {"invalid", "steps", "{n} steps: a process has 1 to {max} steps", "procedure.steps_count",
     "Quy trình có từ 1 đến {max} bước.", "A process has 1 to {max} steps."},
    {"invalid", NULL, "step {n}: share '{v}': expected*", "procedure.step_share",
     "Bước {n}: thời gian “{v}” không hợp lệ: ghi tỷ lệ % nguyên từ 1 đến 100 (ví dụ 40%) "
     "hoặc số giờ làm việc nguyên (ví dụ 8h).",
     "Step {n}: share “{v}” is not valid: a whole percent 1-100 (40%) or whole working hours "
     "(8h)."},
    {"invalid", NULL, "step {n}: '{v}': not a role*", "procedure.step_role",
     "Bước {n}: vai trò “{v}” không hợp lệ.", "Step {n}: “{v}” is not a role."},
    {"invalid", NULL, "step {n}: '{v}': not a unit kind*", "procedure.step_unit_kind",
     "Bước {n}: loại đơn vị “{v}” không hợp lệ.", "Step {n}: “{v}” is not a kind of unit."},
    {"invalid", NULL, "step {n}: a name of*", "procedure.step_name",
     "Bước {n}: vui lòng nhập tên bước (không dùng ký tự |).",
     "Step {n}: please give the step a name (without |)."},
    {"invalid", "level", "'{v}': not a level (central*", "procedure.level",
     "Cấp thực hiện “{v}” không hợp lệ.", "“{v}” is not a level."},
    /* the body and the request */
    {"missing_field", NULL, "field '{name}' is required*", "field.required",
     "Vui lòng nhập {name:label}.", "Please fill in {name:label}."},
    {"wrong_type", NULL, "*", "field.type", "Giá trị của {field} không đúng kiểu.",
     "The value of {field} has the wrong type."},
    {"invalid", NULL, "field '{name}' must be {min} to {max} bytes long", "field.length",
     "{name:label}: độ dài từ {min} đến {max} byte.",
     "{name:label}: from {min} to {max} bytes long."},
    {"invalid", NULL, "field '{name}' is longer than {max} bytes", "field.too_long",
     "{name:label}: dài quá {max} byte.", "{name:label}: longer than {max} bytes."},
    {"invalid", NULL, "field '{name}' must be from {min} to {max}", "field.range",
     "{name:label}: phải từ {min} đến {max}.", "{name:label}: must be from {min} to {max}."},
    {"unknown_field", NULL, "*", "field.unknown", "Mục {field} không được chấp nhận ở đây.",
     "The field {field} is not accepted here."},
    {"bad_json", NULL, "*", "body.json", "Dữ liệu gửi lên không đúng định dạng.",
     "The request body is not valid JSON."},
    {"bad_utf8", NULL, "*", "body.utf8", "Dữ liệu gửi lên có ký tự không hợp lệ.",
     "The request has invalid characters."},
    {"too_large", NULL, "*", "body.too_large", "Dữ liệu gửi lên quá lớn.",
     "The request is too large."},
    {"unsupported_media_type", NULL, "*", "body.media_type",
     "Định dạng dữ liệu gửi lên không được hỗ trợ.", "The request's media type is not supported."},
    {"method_not_allowed", NULL, "*", "request.method", "Thao tác không được hỗ trợ ở địa chỉ này.",
     "This method is not allowed here."},
    {"not_implemented", NULL, "*", "request.not_implemented", "Máy chủ chưa hỗ trợ chức năng này.",
     "The server does not support this yet."},
    {"unavailable", NULL, "*", "server.unavailable",
     "Máy chủ tạm thời không phục vụ được. Vui lòng thử lại sau.",
     "The server cannot serve this now. Please try again later."},
    {"internal", NULL, "*", "server.internal", "Máy chủ gặp lỗi. Vui lòng thử lại sau.",
     "The server ran into an error. Please try again later."},
    /* general wording by code (a message no entry above matches) */
    {"invalid", NULL, "*", "invalid", "Giá trị của {field} không hợp lệ.",
     "The value of {field} is not valid."},
    {"not_found", NULL, "*", "not_found", "Không tìm thấy {field}.", "{field} not found."},
    {"conflict", NULL, "*", "conflict",
     "Không thực hiện được ở trạng thái hiện tại (của hồ sơ hoặc đợt đánh giá).",
     "Not possible in the current state (of the dossier or round)."},
    {NULL, NULL, "*", "error", "Có lỗi xảy ra.", "Something went wrong."},
};

/* Field names of the API with their names for people (vi, en). */
static const char *const field_names[][3] = {
    {"phone", "số điện thoại", "the phone number"},
    {"applicant_phone", "số điện thoại", "the phone number"},
    {"idno", "số định danh", "the ID number"},
    {"applicant_idno", "số định danh", "the ID number"},
    {"id_suffix", "4 số cuối số định danh", "the last digits of the ID number"},
    {"name", "họ tên", "the name"},
    {"applicant_name", "họ tên người nộp", "the applicant's name"},
    {"address", "địa chỉ", "the address"},
    {"applicant_address", "địa chỉ", "the address"},
    {"unit", "đơn vị", "the unit"},
    {"procedure", "thủ tục hành chính", "the procedure"},
    {"code", "mã hồ sơ", "the dossier code"},
    {"channel", "kênh tiếp nhận", "the channel"},
    {"documents", "thành phần hồ sơ", "the documents"},
    {"note", "lý do", "the reason"},
    {"officer", "công chức xử lý bước tiếp theo", "the officer for the next step"},
    {"new_due_at", "ngày hẹn mới", "the new appointment"},
    {"at", "thời điểm", "the time"},
    {"username", "tên đăng nhập", "the username"},
    {"password", "mật khẩu", "the password"},
    {"role", "vai trò", "the role"},
    {"full_name", "họ tên", "the full name"},
    {"period", "kỳ báo cáo", "the period"},
    {"from", "ngày bắt đầu", "the start date"},
    {"to", "ngày kết thúc", "the end date"},
    {"score", "mức đánh giá", "the rating"},
    {"comment", "nhận xét", "the comment"},
    {"points", "điểm", "the points"},
    {"self", "điểm tự chấm", "the self-assessed points"},
    {"appraised", "điểm thẩm định", "the appraised points"},
    {"survey", "điểm điều tra", "the survey points"},
    {"node", "tiêu chí", "the criterion"},
    {"round", "đợt đánh giá", "the assessment round"},
    {"under", "đơn vị được đánh giá", "the assessed unit"},
    {"rows", "các dòng điểm", "the rows"},
    {"content_base64", "tệp", "the file"},
    {"id", "mã tài liệu", "the document id"},
    {"format", "định dạng", "the format"},
    {"limit", "số dòng", "the number of rows"},
    {"offset", "vị trí bắt đầu", "the offset"},
    {"status", "trạng thái", "the status"},
    {"outcome", "kết quả xử lý", "the outcome"},
    {"denominator", "mẫu số", "the denominator"},
    {"q", "từ khóa tìm kiếm", "the search words"},
    {"body", "nội dung", "the text"},
    {"kind", "loại phản ánh", "the kind"},
    {"email", "thư điện tử", "the e-mail address"},
    {"to_unit", "đơn vị có thẩm quyền", "the responsible unit"},
    {"answer", "câu trả lời", "the answer"},
    {"template", "mẫu trả lời", "the reply template"},
    {"files", "tệp đính kèm", "the attachments"},
    {"file", "tệp đính kèm", "the attachment"},
    {"consent", "đồng ý công khai", "the consent to publish"},
    {"title", "tên nhiệm vụ", "the title"},
    {"owner", "đơn vị chủ trì", "the owner unit"},
    {"lead", "cán bộ phụ trách", "the lead officer"},
    {"product", "sản phẩm", "the expected product"},
    {"start", "ngày bắt đầu", "the start date"},
    {"due", "hạn hoàn thành", "the due date"},
    {"progress", "tiến độ", "the progress"},
    {"area", "lĩnh vực cải cách", "the reform area"},
    {"plan", "kế hoạch", "the plan"},
    {"parent", "nhiệm vụ cha", "the parent task"},
    {"task", "nhiệm vụ", "the task"},
    {"weight", "trọng số", "the weight"},
    {"year", "năm", "the year"},
    {"set", "bộ tiêu chí", "the criteria set"},
    {"inspector", "đơn vị kiểm tra", "the inspecting unit"},
    {"team", "đoàn kiểm tra", "the inspection team"},
    {"items", "nội dung kiểm tra", "the checklist items"},
    {"inspection", "cuộc kiểm tra", "the inspection"},
    {"finding", "kết quả kiểm tra", "the finding"},
    {"text", "nội dung", "the text"},
    {"result", "kết quả", "the result"},
    {"seq", "nội dung kiểm tra", "the checklist item"},
    {"file_name", "tên tệp", "the file name"},
    {"planned_from", "ngày bắt đầu kiểm tra", "the inspection's start"},
    {"planned_to", "ngày kết thúc kiểm tra", "the inspection's end"},
    {"day", "ngày", "the day"},
    {"evaluator", "đơn vị đánh giá", "the evaluating unit"},
    {"authors", "tác giả", "the authors"},
    {"description", "nội dung sáng kiến", "the description"},
    {"effect", "hiệu quả dự kiến", "the expected effect"},
    {"proposed", "ngày đề xuất", "the day of the proposal"},
    {"score", "điểm đánh giá", "the score"},
    {"opinion", "ý kiến hội đồng", "the council's opinion"},
    {"reason", "lý do", "the reason"},
    {"decision_no", "số quyết định công nhận", "the decision's number"},
    {"decision_day", "ngày quyết định", "the decision's day"},
    {"level", "cấp công nhận", "the level"},
    {"from", "ngày bắt đầu áp dụng", "the first day applied"},
    {"initiative", "sáng kiến", "the initiative"},
    {"effective_from", "ngày áp dụng", "the first day it applies"},
    {"citation", "số, ký hiệu văn bản", "the decision's number"},
    {"issuer", "cơ quan ban hành", "the issuer"},
    {"signed_on", "ngày ký", "the day signed"},
    {"effective", "ngày có hiệu lực", "the day in effect"},
    {"units", "các đơn vị chấm dứt hoạt động", "the units that end"},
    {"successor", "đơn vị kế thừa", "the successor"},
    {"valid_from", "ngày bắt đầu hoạt động", "the first day"},
    {"ident_code", "mã định danh", "the identifier code"},
    {"changes", "các ngày thay đổi", "the day changes"},
    {"steps", "quy trình xử lý", "the process steps"},
    {"time_amount", "thời hạn giải quyết", "the legal time"},
    {"time_unit", "đơn vị thời hạn", "the unit of the legal time"},
    {"fee_vnd", "phí, lệ phí", "the fee"},
    {"online", "mức dịch vụ công trực tuyến", "the online mode"},
    {"legal_basis", "căn cứ pháp lý", "the legal basis"},
    {"decision", "quyết định công bố", "the publishing decision"},
    {"decision_date", "ngày quyết định công bố", "the day of the publishing decision"},
    {"basis_effective", "ngày căn cứ có hiệu lực", "the day the legal basis takes effect"},
    {"posted_portal", "ngày công khai trên CSDL quốc gia",
     "the day posted on the national database"},
    {"posted_desk", "ngày niêm yết tại Bộ phận Một cửa", "the day posted at the desk"},
    {"receive", "nơi tiếp nhận", "where it is received"},
    {"receive_basis", "căn cứ tiếp nhận", "the basis for receiving"},
};

static const char *const action_names[][3] = {
    {"submit", "nộp hồ sơ", "submit"},
    {"receive", "tiếp nhận", "receive"},
    {"advance", "chuyển bước", "move to the next step"},
    {"request_supplement", "yêu cầu bổ sung", "request a supplement"},
    {"supplement_received", "nhận hồ sơ bổ sung", "record the supplement"},
    {"pause", "tạm dừng", "pause"},
    {"resume", "tiếp tục xử lý", "resume"},
    {"refuse", "từ chối", "refuse"},
    {"withdraw", "rút hồ sơ", "withdraw"},
    {"cancel", "dừng xử lý", "cancel"},
    {"finish", "hoàn thành xử lý", "finish"},
    {"return", "trả kết quả", "return the result"},
    {"apologise", "gửi thư xin lỗi và hẹn lại", "apologise with a new date"},
    {"accept", "thụ lý", "accept"},
    {"forward", "chuyển cơ quan có thẩm quyền", "forward"},
    {"start", "bắt đầu xử lý", "start handling"},
    {"answer", "trả lời", "answer"},
    {"publish", "công khai", "publish"},
    {"report", "báo cáo tiến độ", "report progress"},
    {"complete", "hoàn thành", "complete"},
    {"reopen", "mở lại", "reopen"},
    {"comment", "ghi ý kiến", "comment"},
};

static const char *const status_names[][3] = {
    {"submitted", "Chờ tiếp nhận", "Awaiting reception"},
    {"received", "Đã tiếp nhận", "Received"},
    {"processing", "Đang giải quyết", "Processing"},
    {"result_ready", "Có kết quả, chờ trả", "Result ready"},
    {"returned", "Đã trả kết quả", "Result returned"},
    {"supplement_requested", "Chờ bổ sung", "Awaiting a supplement"},
    {"paused", "Tạm dừng", "Paused"},
    {"refused", "Từ chối", "Refused"},
    {"withdrawn", "Đã rút", "Withdrawn"},
    {"cancelled", "Dừng xử lý", "Cancelled"},
    {"accepted", "Đã thụ lý", "Accepted"},
    {"forwarded", "Đã chuyển", "Forwarded"},
    {"in_progress", "Đang xử lý", "In progress"},
    {"answered", "Đã trả lời", "Answered"},
    {"published", "Đã công khai", "Published"},
    {"planned", "Chưa triển khai", "Planned"},
    {"concluded", "Đã kết luận", "Concluded"},
    {"closed", "Đã đóng", "Closed"},
    {"done", "Hoàn thành", "Done"},
};

enum msg_lang msg_lang_of(const char *h)
{
    if (!h) return MSG_LANG_NONE;
    for (const char *p = h; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!strncasecmp(p, "vi", 2) && (p[2] == '\0' || strchr("-;, ", p[2]))) return MSG_LANG_VI;
        if (!strncasecmp(p, "en", 2) && (p[2] == '\0' || strchr("-;, ", p[2]))) return MSG_LANG_EN;
        p += strcspn(p, ",");
    }
    return MSG_LANG_NONE;
}

/* Matches text against pat from the start to the end; captures into out. */
static int match(const char *pat, const char *text, struct msg_found *out)
{
    if (!*pat) return !*text;
    if (*pat == '*') {
        for (const char *t = text;; t++) {
            if (match(pat + 1, t, out)) return 1;
            if (!*t) return 0;
        }
    }
    if (*pat == '{') {
        const char *end = strchr(pat, '}');
        if (!end || out->nparams >= 4) return 0;
        int k = out->nparams++;
        snprintf(out->pname[k], sizeof out->pname[k], "%.*s", (int)(end - pat - 1), pat + 1);
        for (const char *t = text + 1; t <= text + strlen(text); t++) {
            size_t n = (size_t)(t - text);
            if (n >= sizeof out->pval[k]) break;
            memcpy(out->pval[k], text, n);
            out->pval[k][n] = '\0';
            if (match(end + 1, t, out)) return 1;
        }
        out->nparams = k;
        return 0;
    }
    return *pat == *text && match(pat + 1, text + 1, out);
}

static const char *name_in(const char *const (*tab)[3], size_t n, const char *key, int en)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(tab[i][0], key)) return tab[i][en ? 2 : 1];
    return NULL;
}

#define NAME_IN(tab, key, en) name_in(tab, sizeof tab / sizeof tab[0], key, en)

/* Appends k bytes of s to out (bounded; a cut never splits a UTF-8 character). */
static void putn(char *out, size_t n, size_t *len, const char *s, size_t k)
{
    if (*len + k >= n) {
        k = n - 1 - *len;
        while (k && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
    }
    memcpy(out + *len, s, k);
    *len += k;
    out[*len] = '\0';
}

static void put(char *out, size_t n, size_t *len, const char *s)
{
    putn(out, n, len, s, strlen(s));
}

/* A decimal as the language writes it, two decimals: "1,00" / "1.00". */
static void num2(const char *v, int en, char *buf, size_t n)
{
    char *end;
    double x = strtod(v, &end);
    if (end == v) {
        snprintf(buf, n, "%s", v);
        return;
    }
    snprintf(buf, n, "%.2f", x);
    if (!en)
        for (char *p = buf; *p; p++)
            if (*p == '.') *p = ',';
}

/* A day "YYYY-MM-DD" as Vietnamese write it, "dd/mm/yyyy"; anything else as it is. */
static void date_text(const char *v, int en, char *buf, size_t n)
{
    int y, m, d, k = 0;
    if (!en && sscanf(v, "%4d-%2d-%2d%n", &y, &m, &d, &k) == 3 && v[k] == '\0')
        snprintf(buf, n, "%02d/%02d/%04d", d, m, y);
    else
        snprintf(buf, n, "%s", v);
}

/* A wait in seconds, said as people say it: "45 giây", "khoảng 15 phút", "khoảng 2 giờ". */
static void wait_text(const char *v, int en, char *buf, size_t n)
{
    long s = strtol(v, NULL, 10);
    if (s < 60)
        snprintf(buf, n, en ? "%ld seconds" : "%ld giây", s < 1 ? 1 : s);
    else if (s < 5400)
        snprintf(buf, n, en ? "about %ld minutes" : "khoảng %ld phút", (s + 59) / 60);
    else
        snprintf(buf, n, en ? "about %ld hours" : "khoảng %ld giờ", (s + 1799) / 3600);
}

static const char *param(const struct msg_found *f, const char *name, size_t len)
{
    for (int i = 0; i < f->nparams; i++)
        if (strlen(f->pname[i]) == len && !strncmp(f->pname[i], name, len)) return f->pval[i];
    return NULL;
}

/* The field by its name, or "mục này" / "this field" (never the API's identifier). */
static const char *field_text(const char *field, int en)
{
    const char *s = field ? NAME_IN(field_names, field, en) : NULL;
    return s ? s : en ? "this field" : "mục này";
}

static void fill(const char *tpl, const char *field, int en, struct msg_found *f)
{
    size_t len = 0;
    char piece[160];
    f->text[0] = '\0';
    for (const char *p = tpl; *p;) {
        const char *open = strchr(p, '{');
        if (!open) {
            put(f->text, sizeof f->text, &len, p);
            break;
        }
        /* the text before the placeholder, whole (a 160-byte copy cut long sentences) */
        putn(f->text, sizeof f->text, &len, p, (size_t)(open - p));
        const char *close = strchr(open, '}');
        if (!close) break;
        const char *colon = memchr(open, ':', (size_t)(close - open));
        size_t nlen = (size_t)((colon ? colon : close) - open - 1);
        const char *fmt = colon ? colon + 1 : "";
        size_t flen = colon ? (size_t)(close - colon - 1) : 0;
        const char *v = param(f, open + 1, nlen);
        const char *s = NULL;
        if (!strncmp(open + 1, "field", nlen) && nlen == 5)
            s = field_text(field, en);
        else if (!v)
            s = "…";
        else if (flen == 4 && !strncmp(fmt, "num2", 4))
            num2(v, en, piece, sizeof piece), s = piece;
        else if (flen == 4 && !strncmp(fmt, "date", 4))
            date_text(v, en, piece, sizeof piece), s = piece;
        else if (flen == 4 && !strncmp(fmt, "wait", 4))
            wait_text(v, en, piece, sizeof piece), s = piece;
        else if (flen == 5 && !strncmp(fmt, "label", 5))
            s = field_text(v, en);
        else if (flen == 6 && !strncmp(fmt, "action", 6))
            s = NAME_IN(action_names, v, en);
        else if (flen == 6 && !strncmp(fmt, "status", 6))
            s = NAME_IN(status_names, v, en);
        put(f->text, sizeof f->text, &len, s ? s : v);
        p = close + 1;
    }
}

void msg_lookup(const char *code, const char *field, const char *detail, enum msg_lang lang,
                struct msg_found *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof catalogue / sizeof catalogue[0]; i++) {
        const struct entry *c = &catalogue[i];
        if (c->code && (!code || strcmp(c->code, code))) continue;
        if (c->field && (!field || strcmp(c->field, field))) continue;
        out->nparams = 0;
        if (!match(c->match, detail ? detail : "", out)) continue;
        out->rule = c->rule;
        fill(lang == MSG_LANG_VI ? c->vi : c->en, field, lang != MSG_LANG_VI, out);
        return;
    }
}
