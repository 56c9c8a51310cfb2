// @ts-check
/*
 * 生源核对 WPS 加载项: the entry WPS loads (index.html includes this file), and the ribbon's
 * callbacks that ribbon.xml names. The callbacks are synchronous: a button starts its
 * request (js/client.js) and returns at once; async callbacks broke the ribbon on some
 * WPS 12.1 builds.
 */
"use strict";

// the client, next to this file, as the wpsjs project layout loads its scripts
if (typeof ShengyuanWps === "undefined") {
  document.write('<script src="js/client.js"></script>');
}

/** The ribbon's button ids (ribbon.xml) and the server's buttons. */
var SHENGYUAN_BUTTON_IDS = {
  shengyuanValidate: "validate",
  shengyuanWithdrawals: "withdrawals",
  shengyuanAdditions: "additions",
  shengyuanPull: "pull",
  shengyuanLetter: "letter",
  shengyuanSubmit: "submit",
  shengyuanSelftest: "selftest",
};

/** @type {WPS.RibbonUi | null} */
var shengyuanRibbon = null;

/** ribbon.xml's onLoad. @param {WPS.RibbonUi} ribbonUI */
function ShengyuanOnLoad(ribbonUI) {
  shengyuanRibbon = ribbonUI;
  return true;
}

/** @param {{Id: string}} control @returns {string} the server's button for a ribbon control */
function shengyuanButton(control) {
  var id = String(control && control.Id);
  return Object.prototype.hasOwnProperty.call(SHENGYUAN_BUTTON_IDS, id)
    ? SHENGYUAN_BUTTON_IDS[/** @type {keyof typeof SHENGYUAN_BUTTON_IDS} */ (id)]
    : id;
}

/** ribbon.xml's onAction: start the button's work and return. @param {{Id: string}} control */
function ShengyuanOnAction(control) {
  ShengyuanWps.press(shengyuanButton(control));
  return true;
}

/** ribbon.xml's getImage: the Office.js add-in's icons, served next to this file. @param {{Id: string}} control */
function ShengyuanGetImage(control) {
  return "assets/" + shengyuanButton(control) + "-32.png";
}
