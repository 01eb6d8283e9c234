/**
 * Textual stand-ins for characters that no font of the PDF can draw — mostly colour emoji,
 * which pdfkit cannot embed. A stand-in says what the character meant (✅ → ✔, 🚀 → [rocket]);
 * anything without one is written as its code point, `[U+1F9EA]`, never dropped or shown as `?`.
 * Every stand-in is itself drawable (checked by the render tests).
 */
import { isWinAnsi } from './winansi.js';

export const SUBSTITUTES: Readonly<Record<string, string>> = {
  // Status marks: to the closest symbol the fallback font has.
  '\u2705': '\u2714', // ✅ → ✔
  '\u274c': '\u2718', // ❌ → ✘
  '\u274e': '\u2718', // ❎ → ✘
  '\u2753': '[?]', // ❓
  '\u2754': '[?]', // ❔
  '\u2755': '[!]', // ❕
  '\u2757': '[!]', // ❗
  '\u2b50': '\u2605', // ⭐ → ★
  '\u{1f31f}': '\u2605', // 🌟 → ★
  '\u2728': '\u2727', // ✨ → ✧
  '\u2795': '+', // ➕
  '\u2796': '\u2212', // ➖ → −
  '\u2797': '\u00f7', // ➗ → ÷
  '\u{1f449}': '\u261e', // 👉 → ☞
  '\u{1f448}': '\u261c', // 👈 → ☜
  '\u{1f446}': '\u261d', // 👆 → ☝
  '\u{1f447}': '\u261f', // 👇 → ☟
  '\u2b1b': '\u25a0', // ⬛ → ■
  '\u2b1c': '\u25a1', // ⬜ → □
  '\u{1f53a}': '\u25b2', // 🔺 → ▲
  '\u{1f53b}': '\u25bc', // 🔻 → ▼
  '\u{1f538}': '\u25c6', // 🔸 → ◆
  '\u{1f539}': '\u25c6', // 🔹 → ◆
  '\u{1f536}': '\u25c6', // 🔶 → ◆
  '\u{1f537}': '\u25c6', // 🔷 → ◆
  '\u23e9': '\u25b6\u25b6', // ⏩ → ▶▶
  '\u23ea': '\u25c0\u25c0', // ⏪ → ◀◀
  '\u{1f534}': '[red]', // 🔴
  '\u{1f7e0}': '[orange]', // 🟠
  '\u{1f7e1}': '[yellow]', // 🟡
  '\u{1f7e2}': '[green]', // 🟢
  '\u{1f535}': '[blue]', // 🔵
  '\u{1f7e5}': '[red]', // 🟥
  '\u{1f7e7}': '[orange]', // 🟧
  '\u{1f7e8}': '[yellow]', // 🟨
  '\u{1f7e9}': '[green]', // 🟩
  '\u{1f7e6}': '[blue]', // 🟦
  '\u26d4': '[no entry]', // ⛔
  '\u{1f6ab}': '[prohibited]', // 🚫
  '\u{1f6a7}': '[under construction]', // 🚧
  '\u{1f6a8}': '[alert]', // 🚨
  '\u{1f4af}': '[100]', // 💯
  '\u{1f195}': '[NEW]', // 🆕
  '\u{1f197}': '[OK]', // 🆗
  '\u{1f198}': '[SOS]', // 🆘
  '\u{1f51d}': '[TOP]', // 🔝
  '\u{1f51c}': '[SOON]', // 🔜
  // Things.
  '\u{1f680}': '[rocket]', // 🚀
  '\u{1f525}': '[fire]', // 🔥
  '\u{1f4a1}': '[idea]', // 💡
  '\u{1f4cc}': '[pin]', // 📌
  '\u{1f4cd}': '[pin]', // 📍
  '\u{1f4dd}': '[note]', // 📝
  '\u{1f4c4}': '[document]', // 📄
  '\u{1f4c3}': '[document]', // 📃
  '\u{1f4c1}': '[folder]', // 📁
  '\u{1f4c2}': '[folder]', // 📂
  '\u{1f5c2}': '[folders]', // 🗂
  '\u{1f4e6}': '[package]', // 📦
  '\u{1f517}': '[link]', // 🔗
  '\u{1f512}': '[locked]', // 🔒
  '\u{1f513}': '[unlocked]', // 🔓
  '\u{1f510}': '[locked]', // 🔐
  '\u{1f511}': '[key]', // 🔑
  '\u{1f41b}': '[bug]', // 🐛
  '\u{1f6e0}': '[tools]', // 🛠
  '\u{1f527}': '[wrench]', // 🔧
  '\u{1f528}': '[hammer]', // 🔨
  '\u{1f9ea}': '[test tube]', // 🧪
  '\u{1f52c}': '[microscope]', // 🔬
  '\u{1f4ca}': '[bar chart]', // 📊
  '\u{1f4c8}': '[chart up]', // 📈
  '\u{1f4c9}': '[chart down]', // 📉
  '\u{1f389}': '[celebration]', // 🎉
  '\u{1f38a}': '[celebration]', // 🎊
  '\u{1f3c6}': '[trophy]', // 🏆
  '\u{1f3af}': '[target]', // 🎯
  '\u{1f3c1}': '[finish]', // 🏁
  '\u{1f6a9}': '[flag]', // 🚩
  '\u{1f50d}': '[search]', // 🔍
  '\u{1f50e}': '[search]', // 🔎
  '\u{1f4c5}': '[calendar]', // 📅
  '\u{1f4c6}': '[calendar]', // 📆
  '\u23f0': '[alarm clock]', // ⏰
  '\u23f1': '[stopwatch]', // ⏱
  '\u23f2': '[timer]', // ⏲
  '\u23f3': '[hourglass]', // ⏳
  '\u231b': '[hourglass]', // ⌛
  '\u{1f570}': '[clock]', // 🕰
  '\u{1f4b0}': '[money]', // 💰
  '\u{1f4b5}': '[money]', // 💵
  '\u{1f4b8}': '[money]', // 💸
  '\u{1f4e7}': '[email]', // 📧
  '\u{1f4e8}': '[email]', // 📨
  '\u{1f4de}': '[phone]', // 📞
  '\u{1f4f1}': '[mobile]', // 📱
  '\u{1f4bb}': '[laptop]', // 💻
  '\u{1f5a5}': '[computer]', // 🖥
  '\u{1f4be}': '[disk]', // 💾
  '\u{1f5c4}': '[cabinet]', // 🗄
  '\u{1f5d1}': '[wastebasket]', // 🗑
  '\u{1f4cb}': '[clipboard]', // 📋
  '\u{1f4ce}': '[paperclip]', // 📎
  '\u{1f4d6}': '[book]', // 📖
  '\u{1f4da}': '[books]', // 📚
  '\u{1f4d8}': '[book]', // 📘
  '\u{1f514}': '[bell]', // 🔔
  '\u{1f515}': '[no bell]', // 🔕
  '\u{1f4e2}': '[announcement]', // 📢
  '\u{1f4e3}': '[announcement]', // 📣
  '\u{1f4ac}': '[comment]', // 💬
  '\u{1f4a5}': '[boom]', // 💥
  '\u{1f310}': '[globe]', // 🌐
  '\u{1f30d}': '[globe]', // 🌍
  '\u{1f30e}': '[globe]', // 🌎
  '\u{1f30f}': '[globe]', // 🌏
  '\u{1f916}': '[robot]', // 🤖
  '\u{1f9e0}': '[brain]', // 🧠
  '\u{1f9e9}': '[puzzle]', // 🧩
  '\u{1f3a8}': '[art]', // 🎨
  '\u{1f5bc}': '[picture]', // 🖼
  '\u{1f381}': '[gift]', // 🎁
  '\u{1f331}': '[seedling]', // 🌱
  '\u{1f3d7}': '[construction]', // 🏗
  '\u{1f9f9}': '[cleanup]', // 🧹
  '\u{1fa79}': '[patch]', // 🩹
  '\u{1f3f7}': '[label]', // 🏷
  '\u{1f504}': '[refresh]', // 🔄
  '\u{1f501}': '[repeat]', // 🔁
  '\u{1f500}': '[shuffle]', // 🔀
  '\u{1f50b}': '[battery]', // 🔋
  '\u{1f50c}': '[plug]', // 🔌
  '\u{1fab6}': '[feather]', // 🪶
  '\u{1f308}': '[rainbow]', // 🌈
  '\u{1f433}': '[whale]', // 🐳
  '\u{1f980}': '[crab]', // 🦀
  '\u{1f40d}': '[snake]', // 🐍
  '\u{1f9f0}': '[toolbox]', // 🧰
  '\u{1f6e1}': '[shield]', // 🛡
  '\u{1f9ed}': '[compass]', // 🧭
  '\u{1f48e}': '[gem]', // 💎
  '\u{1f5fa}': '[map]', // 🗺
  '\u{1f3c3}': '[running]', // 🏃
  '\u{1f4e5}': '[inbox]', // 📥
  '\u{1f4e4}': '[outbox]', // 📤
  '\u{1f494}': '[broken heart]', // 💔
  '\u{1f49a}': '[green heart]', // 💚
  '\u{1f499}': '[blue heart]', // 💙
  // People and faces.
  '\u{1f44d}': '[thumbs up]', // 👍
  '\u{1f44e}': '[thumbs down]', // 👎
  '\u{1f44f}': '[applause]', // 👏
  '\u{1f44b}': '[wave]', // 👋
  '\u{1f64f}': '[thanks]', // 🙏
  '\u{1f4aa}': '[strong]', // 💪
  '\u{1f440}': '[eyes]', // 👀
  '\u{1f468}': '[man]', // 👨
  '\u{1f469}': '[woman]', // 👩
  '\u{1f466}': '[boy]', // 👦
  '\u{1f467}': '[girl]', // 👧
  '\u{1f9d1}': '[person]', // 🧑
  '\u{1f465}': '[people]', // 👥
  '\u{1f464}': '[person]', // 👤
  '\u{1f642}': '[smile]', // 🙂
  '\u{1f923}': '[laughing]', // 🤣
  '\u{1f914}': '[thinking]', // 🤔
  '\u{1f641}': '[frown]', // 🙁
  '\u{1f92f}': '[mind blown]', // 🤯
  '\u{1f644}': '[eye roll]', // 🙄
};

const KEYCAP = 0x20e3;
const isRegionalIndicator = (code: number): boolean => code >= 0x1f1e6 && code <= 0x1f1ff;
// Skin tones and the tag characters of subdivision flags only modify the emoji before them.
const isEmojiModifier = (code: number): boolean =>
  (code >= 0x1f3fb && code <= 0x1f3ff) || (code >= 0xe0020 && code <= 0xe007f);

const codePointLabel = (code: number): string => `[U+${code.toString(16).toUpperCase().padStart(4, '0')}]`;

/** The stand-in for a grapheme cluster that no font covers. */
export function substitute(cluster: string): string {
  const whole = SUBSTITUTES[cluster];
  if (whole !== undefined) return whole;
  const codes = [...cluster].map((ch) => ch.codePointAt(0) ?? 0);
  // 🇩🇪: a pair of regional indicators is a flag; their letters are the country code.
  if (codes.length === 2 && codes.every(isRegionalIndicator)) {
    return `[flag ${codes.map((c) => String.fromCharCode(c - 0x1f1e6 + 65)).join('')}]`;
  }
  // 1️⃣ (a digit, #, or * with the keycap mark).
  if (codes.length === 2 && codes[1] === KEYCAP) return `[${cluster.slice(0, -1)}]`;
  // Letters with marks the fonts lack, ligatures, mathematical alphanumerics: their plain form.
  const plain = cluster.normalize('NFKD').replace(/\p{M}/gu, '');
  if (plain && [...plain].every((ch) => isWinAnsi(ch.codePointAt(0) ?? 0))) return plain;
  const alone = codes.length === 1;
  return codes
    .filter((code) => alone || !isEmojiModifier(code))
    .map((code) => {
      const ch = String.fromCodePoint(code);
      return SUBSTITUTES[ch] ?? codePointLabel(code);
    })
    .join('');
}
