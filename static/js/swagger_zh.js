/* The API docs (Swagger UI) in Chinese: its buttons and headings, translated as they appear.
 * Swagger UI has no translations of its own; texts are replaced by exact match only. */
(function () {
  "use strict";

  var TEXTS = {
    "Try it out": "试一试",
    "Cancel": "取消",
    "Execute": "执行",
    "Clear": "清除",
    "Authorize": "授权",
    "Logout": "退出",
    "Close": "关闭",
    "Parameters": "参数",
    "Request body": "请求体",
    "Responses": "响应",
    "Response body": "响应体",
    "Response headers": "响应头",
    "Request URL": "请求地址",
    "Server response": "服务器响应",
    "Download": "下载",
    "Servers": "服务器",
    "Schemas": "数据结构",
    "No parameters": "无参数",
    "Description": "说明",
    "Name": "名称",
    "Code": "状态码",
    "Details": "详情",
    "Links": "链接",
    "No links": "无链接",
    "Example Value": "示例值",
    "Schema": "结构",
    "Media type": "媒体类型",
    "Available authorizations": "可用的认证方式",
    "Undocumented": "未说明",
    "Loading...": "加载中…",
    "required": "必填",
    "Filter by tag": "按标签筛选",
    "Reset": "重置",
    "Edit Value": "编辑值",
    "Model": "模型",
    "Value:": "值：",
    "Curl": "curl 命令"
  };

  function translate(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      var text = node.nodeValue.trim();
      if (text && Object.prototype.hasOwnProperty.call(TEXTS, text)) {
        node.nodeValue = node.nodeValue.replace(text, TEXTS[text]);
      }
    }
    root.querySelectorAll("input[placeholder='Filter by tag']").forEach(function (el) {
      el.setAttribute("placeholder", TEXTS["Filter by tag"]);
    });
  }

  function start() {
    var root = document.getElementById("swagger-ui");
    if (!root) { return; }
    translate(root);
    new MutationObserver(function () { translate(root); }).observe(root, { childList: true, subtree: true, characterData: false });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
